/** The little the messaging package needs of a logger; pino's and Nest's fit. */
export interface MessagingLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const line = (level: string) => (obj: object, msg: string) =>
  process.stderr.write(JSON.stringify({ level, time: new Date().toISOString(), msg, ...serialise(obj) }) + '\n');

function serialise(obj: object): object {
  const err = (obj as { err?: unknown }).err;
  return err instanceof Error ? { ...obj, err: { message: err.message, stack: err.stack } } : obj;
}

/** JSON lines on stderr: used when no logger is given. */
export const jsonLogger: MessagingLogger = { info: line('info'), warn: line('warn'), error: line('error') };
