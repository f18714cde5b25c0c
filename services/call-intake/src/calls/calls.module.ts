import { Global, Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { CallCommands } from './application/call-commands.service';
import { CallQueries } from './application/call-queries.service';
import { CallStore } from './application/call-store';
import { CoverageRetry } from './application/coverage-retry.service';
import { CoveragePort } from './application/coverage.port';
import { RegisterCallService } from './application/register-call.service';
import { BillingCoverageClient } from './infrastructure/billing-coverage.client';
import { CallNumberAllocator } from './infrastructure/call-numbers';
import { CallRepository } from './infrastructure/call.repository';
import { CallsController } from './interface/calls.controller';
import { CallsGrpcController } from './interface/calls.grpc-controller';

/** Global: the event handlers, instantiated by the messaging module, need the CallStore. */
@Global()
@Module({
  imports: [CustomersModule],
  controllers: [CallsController, CallsGrpcController],
  providers: [
    CallRepository,
    CallNumberAllocator,
    CallStore,
    { provide: CoveragePort, useClass: BillingCoverageClient },
    RegisterCallService,
    CallCommands,
    CallQueries,
    CoverageRetry,
  ],
  exports: [CallRepository, CallStore, CoverageRetry, CallQueries],
})
export class CallsModule {}
