import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { NotFoundError, Public, ReadinessChecks } from '@aftersales/service-kit';

const SERVING = 1;
const NOT_SERVING = 2;
const CHECK_TIMEOUT_MS = 2000;
/** '' is the server as a whole. */
const SERVICES = new Set(['', 'aftersales.billing.v1.Coverage', 'aftersales.billing.v1.Pricing']);

/**
 * `grpc.health.v1.Health/Check` for load balancers and Kubernetes gRPC probes. SERVING only when the
 * readiness checks really pass (MongoDB ping, broker connected): not a constant "SERVING".
 * Unknown service → NOT_FOUND, as the protocol says. Public: probes carry no token.
 */
@Controller()
export class GrpcHealthController {
  constructor(private readonly readiness: ReadinessChecks) {}

  @Public()
  @GrpcMethod('Health', 'Check')
  async check(@Payload() request: { service?: string }): Promise<{ status: number }> {
    const service = request.service ?? '';
    if (!SERVICES.has(service)) throw new NotFoundError(`unknown service "${service}"`);
    const results = await Promise.allSettled(
      this.readiness
        .entries()
        .map(([, check]) =>
          Promise.race([
            check(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref()),
          ]),
        ),
    );
    return { status: results.every((r) => r.status === 'fulfilled') ? SERVING : NOT_SERVING };
  }
}
