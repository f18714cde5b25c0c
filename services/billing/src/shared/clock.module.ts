import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

/** The Clock port; tests override it with `overrideProvider(Clock)`. */
@Global()
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class ClockModule {}
