/** Rejects after `ms` so a hung dependency cannot hang a health probe; the late result is ignored. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a rejection after the timeout must not surface as unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
