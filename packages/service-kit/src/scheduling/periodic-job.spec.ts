import { Logger } from '@nestjs/common';
import { PeriodicJob } from './periodic-job';

describe('PeriodicJob', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('never runs two passes at once: a call during a pass joins it', async () => {
    let passes = 0;
    let release!: () => void;
    const job = new PeriodicJob('t', () => (passes++, new Promise<void>((r) => (release = r))));
    const a = job.runNow();
    const b = job.runNow();
    expect(passes).toBe(1);
    release();
    await Promise.all([a, b]);
    const c = job.runNow(); // the first pass is over: a new one starts
    expect(passes).toBe(2);
    release();
    await c;
  });

  it('survives a failing pass and runs the next one', async () => {
    let calls = 0;
    const job = new PeriodicJob('t', async () => {
      if (++calls === 1) throw new Error('store down');
    });
    await expect(job.runNow()).resolves.toBeUndefined();
    await job.runNow();
    expect(calls).toBe(2);
  });

  it('ticks on its interval, and stop waits for the pass under way', async () => {
    let finished = 0;
    const job = new PeriodicJob('t', () => new Promise<void>((r) => setTimeout(() => (finished++, r()), 30)));
    job.start(10);
    await new Promise((r) => setTimeout(r, 15));
    await job.stop();
    expect(finished).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(finished).toBe(1); // no tick after stop
  });

  it('stays off with a zero interval', async () => {
    let calls = 0;
    const job = new PeriodicJob('t', async () => void calls++);
    job.start(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(0);
  });
});
