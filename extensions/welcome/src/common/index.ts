export * from './welcome-agents-protocol';
