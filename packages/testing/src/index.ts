export * from './broker';
export * from './store';
export { tcpReachable } from './infrastructure';
export * from './ceilings';
