/**
 * One jest run for the whole monorepo. Sources are transformed by SWC (fast on 2 cores; `pnpm typecheck`
 * is where types are checked) and workspace packages resolve to their sources, so no build is needed.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/e2e'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@aftersales/([a-z-]+)$': '<rootDir>/packages/$1/src',
    '^@aftersales/([a-z-]+)/([a-z-]+)$': '<rootDir>/packages/$1/src/$2',
  },
  globalSetup: '<rootDir>/packages/testing/global-setup.js',
  testTimeout: 30000,
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};
