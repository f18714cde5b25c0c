import { Global, Module } from '@nestjs/common';
import { ContractExpiryScheduler } from './application/contract-expiry.scheduler';
import { ContractsService } from './application/contracts.service';
import { ContractRepository } from './infrastructure/contract.repository';
import { ContractsController } from './interface/contracts.controller';
import { CoverageGrpcController } from './interface/coverage.grpc-controller';

/** [20] Maintenance contracts: create, renew, expiry notices and follow-ups; `billing.v1.Coverage` (gRPC). */
@Global()
@Module({
  controllers: [ContractsController, CoverageGrpcController],
  providers: [ContractRepository, ContractsService, ContractExpiryScheduler],
  exports: [ContractsService],
})
export class MaintenanceModule {}
