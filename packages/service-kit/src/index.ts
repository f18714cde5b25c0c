// Config
export * from './config/config';
export * from './config/base-schema';
export * from './config/inject-config';
export * from './tokens';
// Branch directory
export * from './branches/branch';
export * from './branches/branch-directory';
// Errors and validation
export * from './errors/domain-errors';
export * from './errors/problem.filter';
export * from './errors/validation';
// Auth
export * from './auth/roles';
export * from './auth/tokens';
export * from './auth/decorators';
export * from './auth/auth.guard';
// Observability and health
export * from './observability/correlation.middleware';
export * from './observability/context-fields';
export * from './observability/metrics';
export * from './health/readiness';
// Modules and start-up
export * from './service-kit.module';
export * from './mongo/mongo.module';
export * from './openapi';
export * from './bootstrap';
export * from './scheduling/periodic-job';
export * from './testing';
