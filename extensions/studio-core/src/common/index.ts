export * from './workspace-status-protocol';
