/** Time is a port (DESIGN.md): production reads the system clock, tests override it for exact instants. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
