import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import type { IntakeV1 } from '@aftersales/contracts/grpc';
import { CurrentUser, type AuthUser } from '@aftersales/service-kit';
import { ValidationError } from '@aftersales/service-kit/domain-errors';
import { CallQueries } from '../application/call-queries.service';
import type { CallProps, CallStatus } from '../domain/call';

// Numeric values of the intake.v1 enums (the generated enums live in a module that loads Nest's gRPC glue).
const STATUS: Record<CallStatus, IntakeV1.CallStatus> = {
  registered: 1,
  dispatched: 2,
  'on-site': 3,
  'in-shop': 4,
  completed: 5,
  closed: 6,
  cancelled: 7,
};
const CATEGORY = { A: 1, B: 2, C: 3 } as const;
const ZONE = { urban: 1, suburban: 2 } as const;

export function toGrpcCall(p: CallProps): IntakeV1.Call {
  return {
    callId: p.id,
    branchId: p.branchId,
    callNumber: p.callNumber,
    voucherNo: p.voucherNo,
    customer: {
      id: p.customer.id,
      name: p.customer.name,
      phone: p.customer.phone,
      address: p.customer.address,
      zone: ZONE[p.customer.zone],
    },
    product: { model: p.product.model, serial: p.product.serial },
    problem: p.problem,
    category: CATEGORY[p.category],
    provisional: p.provisional,
    status: STATUS[p.status],
    technicianId: p.technicianId ?? '',
    receivedAt: p.receivedAt,
    closedAt: p.closedAt ?? '',
  };
}

/** `aftersales.intake.v1.Calls`: read queries for other services, through the same guard as HTTP. */
@Controller()
export class CallsGrpcController {
  constructor(private readonly queries: CallQueries) {}

  @GrpcMethod('Calls', 'GetCall')
  async getCall(
    @Payload() req: IntakeV1.GetCallRequest,
    @CurrentUser() user: AuthUser,
  ): Promise<IntakeV1.GetCallResponse> {
    if (!req.callId) throw new ValidationError('callId is required', [{ field: 'callId', message: 'required' }]);
    return { call: toGrpcCall(await this.queries.getFor(user, req.callId)) };
  }
}
