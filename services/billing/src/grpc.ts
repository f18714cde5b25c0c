import path from 'node:path';
import { grpcOptions } from '@aftersales/contracts/grpc';
import type { GrpcServerOptions } from '@aftersales/service-kit';

/** The standard health protocol's proto, kept with the service (same depth from src/ and dist/). */
export const HEALTH_PROTO = path.resolve(__dirname, '../proto/grpc/health/v1/health.proto');

/** What billing serves over gRPC: `aftersales.billing.v1` (Coverage, Pricing) and `grpc.health.v1`. */
export function billingGrpcOptions(): GrpcServerOptions {
  const billing = grpcOptions('aftersales.billing.v1');
  return {
    package: [billing.package, 'grpc.health.v1'],
    protoPath: [...billing.protoPath, HEALTH_PROTO],
    loader: billing.loader,
  };
}
