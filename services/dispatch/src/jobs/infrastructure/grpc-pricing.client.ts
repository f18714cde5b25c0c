import { credentials, loadPackageDefinition, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { BillingV1, grpcOptions } from '@aftersales/contracts/grpc';
import { InjectConfig } from '@aftersales/service-kit';
import type { DispatchConfig } from '../../config';
import type { Quote } from '../domain/fee';
import { PricingPort, QuoteRequest } from '../application/ports';

type QuoteCallback = (err: ServiceError | null, res?: BillingV1.QuoteResponse) => void;
interface PricingStub {
  quote(req: BillingV1.QuoteRequest, md: Metadata, options: { deadline: Date }, cb: QuoteCallback): void;
  close(): void;
}
type PricingCtor = new (url: string, creds: ReturnType<typeof credentials.createInsecure>) => PricingStub;

const CATEGORY: Record<QuoteRequest['category'], BillingV1.Category> = {
  A: BillingV1.Category.CATEGORY_A,
  B: BillingV1.Category.CATEGORY_B,
  C: BillingV1.Category.CATEGORY_C,
};

/**
 * billing's `aftersales.billing.v1.Pricing.Quote` over gRPC, with a deadline (BILLING_GRPC_DEADLINE_MS):
 * the technician is waiting on site, so any failure — billing down, slow, or refusing — answers
 * 'unavailable' and the visit is completed with the fee left to invoice [10].
 * Authorisation: BILLING_GRPC_TOKEN when set (a service identity), otherwise the technician's own token.
 */
@Injectable()
export class GrpcPricingClient extends PricingPort implements OnModuleDestroy {
  private readonly logger = new Logger('Pricing');
  private stub?: PricingStub;

  constructor(@InjectConfig() private readonly config: DispatchConfig) {
    super();
  }

  private client(): PricingStub {
    if (!this.stub) {
      const options = grpcOptions('aftersales.billing.v1');
      const pkg = loadPackageDefinition(loadSync(options.protoPath, options.loader)) as unknown as {
        aftersales: { billing: { v1: { Pricing: PricingCtor } } };
      };
      this.stub = new pkg.aftersales.billing.v1.Pricing(this.config.BILLING_GRPC_URL, credentials.createInsecure());
    }
    return this.stub;
  }

  quote(request: QuoteRequest, callerToken?: string): Promise<Quote | 'unavailable'> {
    const metadata = new Metadata();
    const token = this.config.BILLING_GRPC_TOKEN ?? callerToken;
    if (token) metadata.set('authorization', `Bearer ${token}`);
    const deadline = new Date(Date.now() + this.config.BILLING_GRPC_DEADLINE_MS);
    const req: BillingV1.QuoteRequest = {
      branchId: request.branchId,
      category: CATEGORY[request.category],
      labourMinutes: request.labourMinutes,
      parts: request.parts,
    };
    return new Promise((resolve) => {
      try {
        this.client().quote(req, metadata, { deadline }, (err, res) => {
          if (err || !res) {
            this.logger.warn(
              `Pricing.Quote failed (${err ? status[err.code] : 'empty answer'}: ${err?.details ?? ''}); fee left to invoice`,
            );
            return resolve('unavailable');
          }
          resolve({ amountMinor: Number(res.amountMinor), currency: res.currency });
        });
      } catch (err) {
        this.logger.warn(`Pricing.Quote could not be called (${(err as Error).message}); fee left to invoice`);
        resolve('unavailable');
      }
    });
  }

  onModuleDestroy(): void {
    this.stub?.close();
  }
}
