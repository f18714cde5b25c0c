import { Logger } from '@nestjs/common';
import { ConnectionStates, type Connection } from 'mongoose';

/**
 * Creates indexes once the store is reachable, however late that is: the connection starts lazily and the
 * kit's supervisor keeps retrying, so this waits for the first `connected` rather than the first attempt.
 */
export function ensureIndexes(connection: Connection, what: string, create: () => Promise<unknown>): void {
  const logger = new Logger('Indexes');
  const run = () =>
    void create().catch((err: Error) => logger.warn(`could not create ${what} indexes: ${err.message}`));
  if (connection.readyState === ConnectionStates.connected) run();
  else connection.once('connected', run);
}
