export * from './workspace-status-protocol';
export * from './studio-user';
export * from './session-protocol';
