import type { CoverageAnswer } from '../domain/classification';

/** [6] Contract coverage, owned by billing. Never throws: no answer in time is `unknown`. */
export abstract class CoveragePort {
  abstract ask(q: { customerId: string; serial: string; date: string }): Promise<CoverageAnswer>;
  /** Why the last `unknown` happened, for the retry bookkeeping. */
  abstract lastError(): string | undefined;
}
