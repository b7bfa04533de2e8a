export * from './orchestrator-protocol';
