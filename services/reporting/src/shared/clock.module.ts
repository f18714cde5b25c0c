import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

/** The one Clock of the app; tests override it with `overrideProvider(Clock)`. */
@Global()
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class ClockModule {}
