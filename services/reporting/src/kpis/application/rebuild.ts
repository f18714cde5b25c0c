import { Injectable, Logger } from '@nestjs/common';
import { ConflictError } from '@aftersales/service-kit/domain-errors';
import { NotYetKnownError } from '../domain/projection';
import { ReadModelStore } from '../infrastructure/read-model.store';
import { Projector } from './projector';

export interface RebuildResult {
  replayed: number;
  /** Events whose projection could not run (e.g. about a call never registered): listed by key. */
  skipped: string[];
}

/**
 * Drops every read model and replays the stored events in time order through the same projection code.
 * Events consumed while it runs are both stored and applied live; their replay is then a duplicate the
 * counters recognise. Lookups (call category, check-in time) follow the replay order, so run it when the
 * service is quiet for results identical to a first projection in time order.
 */
@Injectable()
export class RebuildReadModels {
  private readonly logger = new Logger(RebuildReadModels.name);
  private running = false;

  constructor(
    private readonly store: ReadModelStore,
    private readonly projector: Projector,
  ) {}

  async run(): Promise<RebuildResult> {
    if (this.running) throw new ConflictError('a rebuild is already running');
    this.running = true;
    try {
      await this.store.dropReadModels();
      const result: RebuildResult = { replayed: 0, skipped: [] };
      for await (const stored of this.store.storedEvents()) {
        try {
          await this.projector.apply(stored.event, stored._id);
          result.replayed++;
        } catch (err) {
          if (!(err instanceof NotYetKnownError)) throw err;
          result.skipped.push(stored._id);
        }
      }
      this.logger.log({ msg: 'read models rebuilt', replayed: result.replayed, skipped: result.skipped.length });
      return result;
    } finally {
      this.running = false;
    }
  }
}
