// The domain-error classes alone, for domain code: `import { NotFoundError } from '@aftersales/service-kit/domain-errors'`
// loads nothing else (no Nest), so the layer rules hold.
export * from './errors/domain-errors';
