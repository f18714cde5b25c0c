import { Global, Module } from '@nestjs/common';
import { JobCommands } from './application/job-commands';
import { JobQueries } from './application/job-queries';
import { JobFacts } from './application/incoming-events';
import { JobRepository, PricingPort, SlaAlertRepository } from './application/ports';
import { SlaScheduler } from './application/sla-scheduler';
import { GrpcPricingClient } from './infrastructure/grpc-pricing.client';
import { MongoJobRepository } from './infrastructure/mongo-job.repository';
import { MongoSlaAlertRepository } from './infrastructure/mongo-sla-alert.repository';
import { JobsController } from './interface/jobs.controller';

/**
 * Jobs, their SLA and visits. Global because the event handlers are instantiated by MessagingModule and
 * need JobFacts from here.
 */
@Global()
@Module({
  controllers: [JobsController],
  providers: [
    JobCommands,
    JobQueries,
    JobFacts,
    SlaScheduler,
    { provide: JobRepository, useClass: MongoJobRepository },
    { provide: SlaAlertRepository, useClass: MongoSlaAlertRepository },
    { provide: PricingPort, useClass: GrpcPricingClient },
  ],
  exports: [JobFacts, SlaScheduler, JobRepository, SlaAlertRepository],
})
export class JobsModule {}
