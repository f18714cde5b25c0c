import { Global, Injectable, Module } from '@nestjs/common';

/** Time is a port, so day-boundary rules (send the day after, expiry, month) are tested at exact instants. */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

@Global()
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class ClockModule {}
