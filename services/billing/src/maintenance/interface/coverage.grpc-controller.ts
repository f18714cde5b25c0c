import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import type { BillingV1 } from '@aftersales/contracts/grpc';
import { fieldErrors, Roles, ValidationError } from '@aftersales/service-kit';
import { ContractsService } from '../application/contracts.service';

const coverageSchema = z.object({
  customerId: z.string().min(1),
  serial: z.string().min(1),
  date: z.iso.date(),
});

const NOT_COVERED: BillingV1.GetCoverageResponse = {
  covered: false,
  contractId: '',
  coversLabour: false,
  coversParts: false,
  endsOn: '',
};

/** `aftersales.billing.v1.Coverage`: call-intake asks, with a deadline, whether a product is category B [6]. */
@Controller()
export class CoverageGrpcController {
  constructor(private readonly contracts: ContractsService) {}

  @GrpcMethod('Coverage', 'GetCoverage')
  @Roles('clerk', 'director', 'accountant', 'service-dept', 'integrator')
  async getCoverage(@Payload() request: BillingV1.GetCoverageRequest): Promise<BillingV1.GetCoverageResponse> {
    const parsed = coverageSchema.safeParse(request);
    if (!parsed.success) throw new ValidationError('The request is invalid.', fieldErrors(parsed.error));
    const found = await this.contracts.coverage(parsed.data.customerId, parsed.data.serial, parsed.data.date);
    if (!found) return NOT_COVERED;
    return {
      covered: true,
      contractId: found.contract.id,
      coversLabour: found.term.coversLabour,
      coversParts: found.term.coversParts,
      endsOn: found.term.endsOn,
    };
  }
}
