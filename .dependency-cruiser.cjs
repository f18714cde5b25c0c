/** Layer rules (DESIGN.md): domain code is plain TypeScript; services never reach into each other. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-framework-free',
      comment: 'Domain code imports no Nest, Mongoose, MongoDB driver or AMQP client.',
      severity: 'error',
      from: { path: '/domain/' },
      to: { path: '(^|node_modules/)(@nestjs|mongoose|mongodb|amqplib|amqp-connection-manager|@grpc)(/|$)' },
    },
    {
      name: 'domain-depends-on-domain-only',
      comment: 'Domain code may not import the application, infrastructure or interface layers.',
      severity: 'error',
      from: { path: '/domain/' },
      to: { path: '/(application|infrastructure|interface)/' },
    },
    {
      name: 'no-cross-service-imports',
      comment: 'Services share code only through packages/; facts travel as events.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'packages-do-not-import-services',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(dist|generated)/' },
    tsConfig: { fileName: 'tsconfig.paths.json' },
    tsPreCompilationDeps: true,
  },
};
