import {
  loadPackageDefinition,
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { BillingV1, grpcOptions } from '@aftersales/contracts/grpc';

export type BillingMode = 'quote' | 'hang';

/** A real gRPC server speaking billing's aftersales.billing.v1.Pricing from the repository's proto. */
export class FakeBilling {
  mode: BillingMode = 'quote';
  amountMinor = 4500;
  readonly requests: Array<{ request: BillingV1.QuoteRequest; authorization: string }> = [];
  private readonly server = new Server();
  private readonly pending: Array<sendUnaryData<BillingV1.QuoteResponse>> = [];
  url = '';
  private stopped = false;

  async start(): Promise<this> {
    const options = grpcOptions('aftersales.billing.v1');
    const pkg = loadPackageDefinition(loadSync(options.protoPath, options.loader)) as unknown as {
      aftersales: { billing: { v1: { Pricing: { service: ServiceDefinition } } } };
    };
    this.server.addService(pkg.aftersales.billing.v1.Pricing.service, {
      quote: (
        call: ServerUnaryCall<BillingV1.QuoteRequest, BillingV1.QuoteResponse>,
        callback: sendUnaryData<BillingV1.QuoteResponse>,
      ) => {
        this.requests.push({
          request: call.request,
          authorization: String(call.metadata.get('authorization')[0] ?? ''),
        });
        if (this.mode === 'hang') return void this.pending.push(callback);
        if (call.request.category !== BillingV1.Category.CATEGORY_A) {
          return callback({ code: status.INVALID_ARGUMENT, details: 'only paid work is quoted here' });
        }
        callback(null, {
          amountMinor: this.amountMinor,
          currency: 'EUR',
          cashLimitMinor: 15000,
          withinCashLimit: this.amountMinor > 0 && this.amountMinor <= 15000,
          lines: [],
        });
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    this.url = `127.0.0.1:${port}`;
    return this;
  }

  /** Billing goes down: every connection refused from now on. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const cb of this.pending.splice(0)) cb({ code: status.UNAVAILABLE, details: 'shutting down' });
    this.server.forceShutdown();
  }
}
