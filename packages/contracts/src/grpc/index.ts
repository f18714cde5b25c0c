// gRPC types generated from proto/ (ts-proto, nestJs=true), one namespace per proto package, because the
// packages reuse message names (Category, Customer...). A subpath of its own (`@aftersales/contracts/grpc`)
// because the generated code loads @nestjs/microservices, which event consumers and domain code don't need.
export * as BillingV1 from './billing-v1';
export * as IntakeV1 from '../generated/proto/intake/v1/calls';
export * as ReportingV1 from '../generated/proto/reporting/v1/head_office';
export * from './loader';
