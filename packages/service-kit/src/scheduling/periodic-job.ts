import { Logger } from '@nestjs/common';

/**
 * The production driver of a scheduled job (SLA checks, overdue repairs, expiry notices, surveys…): one
 * pass every `intervalMs`, never two at once in a process, a failed pass logged and tried again at the next
 * tick, and shutdown waiting for the pass under way. Several replicas may run it side by side: the jobs
 * themselves are idempotent per (job, period). Tests call the job's own methods at exact instants instead.
 */
export class PeriodicJob {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<unknown>,
  ) {
    this.logger = new Logger(name);
  }

  /** Starts ticking; `intervalMs <= 0` leaves the job off. */
  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => void this.runNow(), intervalMs);
    this.timer.unref();
  }

  /** Runs a pass now, or joins the one under way. Never rejects: failures are logged. */
  runNow(): Promise<void> {
    this.running ??= this.pass()
      .then(
        () => undefined,
        (err: Error) => this.logger.warn(`${this.name} pass failed; retried next tick: ${err.message}`),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
