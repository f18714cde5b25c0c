import { Module } from '@nestjs/common';
import { MessagingModule } from '@aftersales/messaging';
import { MongoModule, ServiceKitModule } from '@aftersales/service-kit';
import {
  CompleteOnProductReturned,
  CompleteOnVisitCompleted,
  DispatchOnTechnicianAssigned,
  InShopOnProductTakenToShop,
  OnSiteOnTechnicianArrived,
} from './calls/application/lifecycle.handlers';
import { CallsModule } from './calls/calls.module';
import { callIntakeConfig } from './config';
import { CustomersModule } from './customers/customers.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { ClockModule } from './shared/clock.module';

@Module({
  imports: [
    ServiceKitModule.forRoot({ name: 'call-intake', config: callIntakeConfig }),
    MongoModule.forService('call-intake'),
    MessagingModule.forService('call-intake', {
      handlers: [
        DispatchOnTechnicianAssigned, // dispatch.technician.assigned.v1 → dispatched
        OnSiteOnTechnicianArrived, // dispatch.technician.arrived.v1 → on site
        CompleteOnVisitCompleted, // dispatch.visit.completed.v1 → completed (on site)
        InShopOnProductTakenToShop, // dispatch.product.taken-to-shop.v1 → in shop
        CompleteOnProductReturned, // repairshop.product.returned.v1 → completed (shop)
      ],
    }),
    ClockModule,
    CustomersModule, // customers and installed products
    CallsModule, // repair-call log, vouchers, classification, lifecycle, GetCall
    ReconciliationModule, // [18] daily reconciliation and the scheduler
  ],
})
export class AppModule {}
