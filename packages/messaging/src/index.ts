export * from './broker';
export * from './consumer';
export * from './logger';
export * from './metrics';
export * from './outbox';
export * from './publisher';
export * from './relay';
export * from './topology';
