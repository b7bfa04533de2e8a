export * from './agent-token';
export * from './agent-token-repository';
export * from './agent-tokens';
export * from './terminal-tokens';
