export * from './workspace-core-host';
export * from './studio-user-provider';
export * from './core-connection-service';
