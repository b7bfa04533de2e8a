export * from './orchestrator-protocol';
export * from './provider-key-protocol';
