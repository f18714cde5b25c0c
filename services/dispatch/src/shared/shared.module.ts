import { Global, Module } from '@nestjs/common';
import { BranchCalendars } from './calendars';
import { Clock, SystemClock } from './clock';

/** The clock (overridden in tests for exact instants) and the branch calendars. */
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }, BranchCalendars],
  exports: [Clock, BranchCalendars],
})
export class SharedModule {}
