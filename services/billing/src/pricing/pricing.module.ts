import { Global, Module } from '@nestjs/common';
import { PriceListService } from './application/price-list.service';
import { PriceListRepository } from './infrastructure/price-list.repository';
import { PriceListsController } from './interface/price-lists.controller';
import { PricingGrpcController } from './interface/pricing.grpc-controller';

/** Price lists per branch (REST for accountants) and `billing.v1.Pricing` quotes (gRPC). */
@Global()
@Module({
  controllers: [PriceListsController, PricingGrpcController],
  providers: [PriceListRepository, PriceListService],
  exports: [PriceListService],
})
export class PricingModule {}
