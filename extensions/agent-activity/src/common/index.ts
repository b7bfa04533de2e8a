export * from './agent-state-labels';
export * from './orchestrator-protocol';
export * from './provider-key-protocol';
export * from './bus-protocol';
