import { Module } from '@nestjs/common';
import { MessagingModule } from '@aftersales/messaging';
import { MongoModule, ServiceKitModule } from '@aftersales/service-kit';
import { dispatchConfig } from './config';
import {
  CancelJobOnCallCancelled,
  CreateJobOnCallRegistered,
  PrioritiseJobOnCallCarriedOver,
  ReclassifyJobOnCallReclassified,
} from './jobs/application/incoming-events';
import { JobsModule } from './jobs/jobs.module';
import { SharedModule } from './shared/shared.module';
import { TechniciansModule } from './technicians/technicians.module';

@Module({
  imports: [
    ServiceKitModule.forRoot({ name: 'dispatch', config: dispatchConfig }),
    MongoModule.forService('dispatch'),
    MessagingModule.forService('dispatch', {
      handlers: [
        CreateJobOnCallRegistered,
        CancelJobOnCallCancelled,
        PrioritiseJobOnCallCarriedOver,
        ReclassifyJobOnCallReclassified,
      ],
    }),
    SharedModule,
    TechniciansModule,
    JobsModule,
  ],
})
export class AppModule {}
