export * from './broker';
export * from './store';
export { ensureInfrastructure, tcpReachable } from './infrastructure';
export * from './ceilings';
