import { Module } from '@nestjs/common';
import { MessagingModule } from '@aftersales/messaging';
import { MongoModule, ServiceKitModule } from '@aftersales/service-kit';
import { billingConfig } from './config';
import { GrpcHealthModule } from './health/grpc-health.module';
import { InvoiceOnCallClosed } from './invoicing/application/invoice-on-call-closed.handler';
import { InvoicingModule } from './invoicing/invoicing.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { PricingModule } from './pricing/pricing.module';
import { ClockModule } from './shared/clock.module';
import { SERVICE } from './shared/events';

@Module({
  imports: [
    ServiceKitModule.forRoot({ name: SERVICE, config: billingConfig }), // config, health, metrics, logs, auth, errors
    MongoModule.forService(SERVICE),
    MessagingModule.forService(SERVICE, { handlers: [InvoiceOnCallClosed] }), // intake.call.closed.v1 → invoice
    ClockModule,
    PricingModule, // price lists (REST), billing.v1.Pricing (gRPC)
    MaintenanceModule, // contracts, expiry notices (job), billing.v1.Coverage (gRPC)
    InvoicingModule, // invoices, payments, cash hand-overs, credit notes
    GrpcHealthModule, // grpc.health.v1.Health
  ],
})
export class AppModule {}
