export * from './workspace-status-protocol';
export * from './studio-user';
export * from './session-protocol';
export * from './studio-command';
export * from './shared-commands';
export * from './studio-views';
export * from './path-uri';
export * from './mcp-protocol';
