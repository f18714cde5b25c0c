import { Module } from '@nestjs/common';
import { CustomersService } from './application/customers.service';
import { CustomerRepository } from './infrastructure/customer.repository';
import { CustomersController } from './interface/customers.controller';

@Module({
  controllers: [CustomersController],
  providers: [CustomerRepository, CustomersService],
  exports: [CustomersService],
})
export class CustomersModule {}
