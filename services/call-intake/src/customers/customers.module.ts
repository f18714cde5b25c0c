import { Module } from '@nestjs/common';
import { CustomersService } from './application/customers.service';
import { ImportInstalledBaseService } from './application/import-installed-base.service';
import { CustomerImportRepository } from './infrastructure/customer-import.repository';
import { CustomerRepository } from './infrastructure/customer.repository';
import { CustomerImportController } from './interface/customer-import.controller';
import { CustomersController } from './interface/customers.controller';

@Module({
  controllers: [CustomerImportController, CustomersController],
  providers: [CustomerRepository, CustomersService, CustomerImportRepository, ImportInstalledBaseService],
  exports: [CustomersService],
})
export class CustomersModule {}
