import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { BranchDirectory, createZodDto, CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { z } from 'zod';
import { checkBranch, IdParam, LocalDate, paging, Phone, PostalCode, text } from '../../shared/http';
import { CustomersService } from '../application/customers.service';

export const CustomerInputSchema = z.strictObject({
  name: text(),
  phone: Phone,
  address: text(300),
  postalCode: PostalCode,
});
export const ProductInputSchema = z.strictObject({
  model: text(100),
  serial: text(100),
  purchaseDate: LocalDate.optional(),
  warrantyEndsOn: LocalDate.optional().describe('Last day under warranty (inclusive)'),
});

class CreateCustomerDto extends createZodDto(CustomerInputSchema) {}
class UpdateCustomerDto extends createZodDto(CustomerInputSchema.partial()) {}
class CreateProductDto extends createZodDto(ProductInputSchema) {}
class SearchCustomersDto extends createZodDto(
  z.strictObject({ name: z.string().min(1).max(100).optional(), phone: Phone.optional(), ...paging }),
) {}
class CustomerParams extends createZodDto(z.object({ branchId: z.string(), customerId: IdParam })) {}

const READERS = ['clerk', 'director', 'service-dept', 'deputy-gm', 'integrator'] as const;

@Controller('branches/:branchId/customers')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly branches: BranchDirectory,
  ) {}

  @Post()
  @Roles('clerk')
  async create(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Body() body: CreateCustomerDto) {
    checkBranch(this.branches, user, branchId);
    return this.customers.create(branchId, body);
  }

  @Get()
  @Roles(...READERS)
  async search(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Query() q: SearchCustomersDto) {
    checkBranch(this.branches, user, branchId);
    return this.customers.search(branchId, { name: q.name, phone: q.phone }, q.page, q.pageSize);
  }

  @Get(':customerId')
  @Roles(...READERS)
  async get(@CurrentUser() user: AuthUser, @Param() p: CustomerParams) {
    checkBranch(this.branches, user, p.branchId);
    const customer = await this.customers.get(p.branchId, p.customerId);
    return { ...customer, products: await this.customers.products(p.branchId, p.customerId) };
  }

  @Patch(':customerId')
  @Roles('clerk')
  async update(@CurrentUser() user: AuthUser, @Param() p: CustomerParams, @Body() body: UpdateCustomerDto) {
    checkBranch(this.branches, user, p.branchId);
    return this.customers.update(p.branchId, p.customerId, body);
  }

  @Post(':customerId/products')
  @Roles('clerk')
  async addProduct(@CurrentUser() user: AuthUser, @Param() p: CustomerParams, @Body() body: CreateProductDto) {
    checkBranch(this.branches, user, p.branchId);
    return this.customers.addProduct(p.branchId, p.customerId, body);
  }

  @Get(':customerId/products')
  @Roles(...READERS)
  async products(@CurrentUser() user: AuthUser, @Param() p: CustomerParams) {
    checkBranch(this.branches, user, p.branchId);
    return this.customers.products(p.branchId, p.customerId);
  }
}
