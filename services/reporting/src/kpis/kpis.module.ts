import { Global, Module } from '@nestjs/common';
import { KpiQueries } from './application/kpi-queries';
import { Projector } from './application/projector';
import { RebuildReadModels } from './application/rebuild';
import { ReadModelStore } from './infrastructure/read-model.store';
import { KpisController } from './interface/kpis.controller';
import { KpisGrpcController } from './interface/kpis.grpc-controller';

/**
 * Head-office KPIs: the projection of consumed events into per-(branch, day) counters, the queries on
 * them and the rebuild. Global because the event handlers live in MessagingModule's scope.
 */
@Global()
@Module({
  controllers: [KpisController, KpisGrpcController],
  providers: [ReadModelStore, Projector, KpiQueries, RebuildReadModels],
  exports: [ReadModelStore, Projector],
})
export class KpisModule {}
