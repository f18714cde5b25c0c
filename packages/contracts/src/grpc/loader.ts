import path from 'node:path';

/** The repository's `proto/` folder (same depth from src/ and dist/). Nest loads .proto files at run time. */
export const PROTO_ROOT = path.resolve(__dirname, '../../../../proto');

/** Every proto package and its files, relative to PROTO_ROOT. */
export const GRPC_PACKAGES = {
  'aftersales.billing.v1': ['billing/v1/coverage.proto', 'billing/v1/pricing.proto'],
  'aftersales.intake.v1': ['intake/v1/calls.proto'],
  'aftersales.reporting.v1': ['reporting/v1/head_office.proto'],
} as const;
export type GrpcPackage = keyof typeof GRPC_PACKAGES;

/**
 * `loader` options for Nest's gRPC transport (client and server) that make @grpc/proto-loader produce the
 * shapes the ts-proto interfaces promise: camelCase keys, int64 as number (forceLong=number), numeric enums,
 * and every field present (proto3 leaves default values off the wire; ts-proto types no field as optional).
 */
export const GRPC_LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: Number,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

/** `{ package, protoPath, loader }` for `Transport.GRPC` options of a Nest server or client. */
export function grpcOptions(pkg: GrpcPackage) {
  return {
    package: pkg,
    protoPath: GRPC_PACKAGES[pkg].map((file) => path.join(PROTO_ROOT, file)),
    loader: GRPC_LOADER_OPTIONS,
  };
}
