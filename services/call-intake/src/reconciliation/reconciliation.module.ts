import { Module } from '@nestjs/common';
import { ReconciliationService } from './application/reconciliation.service';
import { Scheduler } from './application/scheduler';
import { ReconciliationsController } from './interface/reconciliations.controller';

@Module({
  controllers: [ReconciliationsController],
  providers: [ReconciliationService, Scheduler],
  exports: [ReconciliationService, Scheduler],
})
export class ReconciliationModule {}
