import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../shared/clock';
import { BranchCalendars } from './application/calendars';
import { OverdueScheduler } from './application/overdue-scheduler';
import { RepairCommands } from './application/repair-commands';
import { RepairQueries } from './application/repair-queries';
import { ShopStore } from './infrastructure/shop.store';
import { OverdueController } from './interface/overdue.controller';
import { ReceiptsController } from './interface/receipts.controller';
import { RegisterController } from './interface/register.controller';
import { RepairsController } from './interface/repairs.controller';

/**
 * Pickup receipts, the in/out register, repair cards and the overdue escalation [11]–[14]. Global so the
 * event handlers (providers of MessagingModule) can inject its store, calendars and clock.
 */
@Global()
@Module({
  controllers: [RegisterController, RepairsController, ReceiptsController, OverdueController],
  providers: [
    { provide: Clock, useClass: SystemClock },
    ShopStore,
    BranchCalendars,
    RepairCommands,
    RepairQueries,
    OverdueScheduler,
  ],
  exports: [Clock, ShopStore, BranchCalendars],
})
export class RepairsModule {}
