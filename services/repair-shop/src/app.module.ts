import { Module } from '@nestjs/common';
import { MessagingModule } from '@aftersales/messaging';
import { MongoModule, ServiceKitModule } from '@aftersales/service-kit';
import { repairShopConfig } from './config';
import { FlagRepairOnCallCancelled } from './repairs/application/flag-repair-on-call-cancelled';
import { OpenRepairOnTakenToShop } from './repairs/application/open-repair-on-taken-to-shop';
import { RepairsModule } from './repairs/repairs.module';

@Module({
  imports: [
    ServiceKitModule.forRoot({ name: 'repair-shop', config: repairShopConfig }), // config, health, metrics, logs, auth, errors
    MongoModule.forService('repair-shop'),
    MessagingModule.forService('repair-shop', { handlers: [OpenRepairOnTakenToShop, FlagRepairOnCallCancelled] }),
    RepairsModule, // pickup receipts, in/out register, repair cards, overdue [11]–[14]
  ],
})
export class AppModule {}
