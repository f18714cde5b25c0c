// Package aftersales.billing.v1 spans two files; one namespace for both (exportCommonSymbols=false in
// buf.gen.yaml keeps the per-file constants that would otherwise collide out of the generated code).
export * from '../generated/proto/billing/v1/coverage';
export * from '../generated/proto/billing/v1/pricing';
