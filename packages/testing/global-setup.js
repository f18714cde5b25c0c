// Jest global setup: make a real store and broker available before any test file runs.
require('@swc/core'); // fail early and clearly if the toolchain is missing
module.exports = async () => {
  const { ensureInfrastructure } = require('./src/infrastructure.ts');
  await ensureInfrastructure();
};
