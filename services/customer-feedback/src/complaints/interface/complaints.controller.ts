import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AuthUser, CurrentUser, Roles } from '@aftersales/service-kit';
import { complaintView, ComplaintsService } from '../application/complaints.service';
import { AgeingQuery, NewComplaintDto, NotifyCustomerDto, ResolveComplaintDto } from './complaints.dto';

const HANDLERS = ['service-dept', 'deputy-gm', 'director'] as const;

@Controller('complaints')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  /** Received directly, e.g. by phone or letter [23]. */
  @Post()
  @Roles('service-dept', 'deputy-gm', 'director', 'clerk')
  async receive(@CurrentUser() user: AuthUser, @Body() body: NewComplaintDto) {
    return complaintView(await this.complaints.receiveDirect(user, body));
  }

  /** The ageing list: open complaints, oldest first. */
  @Get('open')
  @Roles(...HANDLERS, 'manager')
  ageing(@CurrentUser() user: AuthUser, @Query() query: AgeingQuery) {
    return this.complaints.ageing(user, query.branchId, query.page, query.pageSize);
  }

  @Get(':id')
  @Roles(...HANDLERS, 'manager', 'clerk')
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return complaintView(await this.complaints.get(user, id));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles(...HANDLERS)
  async resolve(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: ResolveComplaintDto) {
    return complaintView(await this.complaints.resolve(user, id, body.outcome));
  }

  @Post(':id/notify-customer')
  @HttpCode(200)
  @Roles(...HANDLERS)
  async notify(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: NotifyCustomerDto) {
    const at = body.at ? new Date(body.at) : undefined;
    return complaintView(await this.complaints.notifyCustomer(user, id, body.channel, at));
  }

  /** 409 unless the customer was told the outcome [26]. */
  @Post(':id/close')
  @HttpCode(200)
  @Roles(...HANDLERS)
  async close(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return complaintView(await this.complaints.close(user, id));
  }
}
