export * from './workspace-core-host';
export * from './studio-user-provider';
