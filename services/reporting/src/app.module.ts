import { Module } from '@nestjs/common';
import { MessagingModule } from '@aftersales/messaging';
import { MongoModule, ServiceKitModule } from '@aftersales/service-kit';
import { reportingConfig } from './config';
import { DailyReportsModule } from './daily-reports/daily-reports.module';
import { PROJECTION_HANDLERS } from './kpis/application/projection.handlers';
import { KpisModule } from './kpis/kpis.module';
import { ClockModule } from './shared/clock.module';

@Module({
  imports: [
    ServiceKitModule.forRoot({ name: 'reporting', config: reportingConfig }),
    MongoModule.forService('reporting'),
    // One handler class per catalogue event type, all feeding the same projection.
    MessagingModule.forService('reporting', { handlers: PROJECTION_HANDLERS }),
    ClockModule,
    KpisModule,
    DailyReportsModule,
  ],
})
export class AppModule {}
