import { credentials, loadPackageDefinition, Metadata, type ServiceError, type Client } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { grpcOptions, type BillingV1 } from '@aftersales/contracts/grpc';
import { InjectConfig, mintDevToken } from '@aftersales/service-kit';
import type { CallIntakeConfig } from '../../config';
import { CoveragePort } from '../application/coverage.port';
import type { CoverageAnswer } from '../domain/classification';

type CoverageClient = Client & {
  getCoverage(
    req: BillingV1.GetCoverageRequest,
    md: Metadata,
    opts: { deadline: Date },
    cb: (err: ServiceError | null, res?: BillingV1.GetCoverageResponse) => void,
  ): void;
};
type CoverageCtor = new (
  url: string,
  creds: ReturnType<typeof credentials.createInsecure>,
  opts?: object,
) => CoverageClient;

/**
 * billing's `aftersales.billing.v1.Coverage.GetCoverage` over gRPC, with a short deadline: a clerk is waiting.
 * Any failure (down, slow, refused) is `unknown`, never an exception; the channel is rebuilt after a failure
 * so a billing that comes back is reached at once, not after the channel's reconnect back-off.
 */
@Injectable()
export class BillingCoverageClient extends CoveragePort implements OnModuleDestroy {
  private readonly logger = new Logger(BillingCoverageClient.name);
  private readonly Ctor: CoverageCtor;
  private client?: CoverageClient;
  private token?: { value: string; until: number };
  private error?: string;

  constructor(@InjectConfig() private readonly config: CallIntakeConfig) {
    super();
    const opts = grpcOptions('aftersales.billing.v1');
    const pkg = loadPackageDefinition(loadSync(opts.protoPath, opts.loader)) as unknown as {
      aftersales: { billing: { v1: { Coverage: CoverageCtor } } };
    };
    this.Ctor = pkg.aftersales.billing.v1.Coverage;
  }

  lastError(): string | undefined {
    return this.error;
  }

  async ask(q: { customerId: string; serial: string; date: string }): Promise<CoverageAnswer> {
    try {
      const md = new Metadata();
      const token = await this.bearer();
      if (token) md.set('authorization', `Bearer ${token}`);
      const client = (this.client ??= new this.Ctor(this.config.BILLING_GRPC_URL, credentials.createInsecure()));
      const deadline = new Date(Date.now() + this.config.BILLING_GRPC_DEADLINE_MS);
      const res = await new Promise<BillingV1.GetCoverageResponse>((resolve, reject) =>
        client.getCoverage(q, md, { deadline }, (err, r) => (err ? reject(err) : resolve(r!))),
      );
      this.error = undefined;
      return res.covered ? { covered: true, contractId: res.contractId } : { covered: false };
    } catch (err) {
      this.error = (err as Error).message;
      this.logger.warn(`billing coverage unknown for ${q.serial} on ${q.date}: ${this.error}`);
      this.client?.close();
      this.client = undefined;
      return 'unknown';
    }
  }

  onModuleDestroy(): void {
    this.client?.close();
  }

  /** BILLING_GRPC_TOKEN, or locally a dev token signed with AUTH_DEV_SECRET (read-only integrator role). */
  private async bearer(): Promise<string | undefined> {
    if (this.config.BILLING_GRPC_TOKEN) return this.config.BILLING_GRPC_TOKEN;
    if (!this.config.AUTH_DEV_SECRET) return undefined;
    if (!this.token || this.token.until < Date.now()) {
      const value = await mintDevToken({
        roles: ['integrator'],
        branchId: 'head-office',
        sub: 'svc-call-intake',
        name: 'call-intake service',
        ttl: '8h',
        secret: this.config.AUTH_DEV_SECRET,
        issuer: this.config.AUTH_ISSUER,
        audience: this.config.AUTH_AUDIENCE,
      });
      this.token = { value, until: Date.now() + 7 * 3600_000 };
    }
    return this.token.value;
  }
}
