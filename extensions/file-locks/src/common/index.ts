export * from './lock-protocol';
export * from './lock-state';
