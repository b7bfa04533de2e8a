export * from './workspace-core-host';
export * from './studio-workspace-root';
export * from './studio-user-provider';
export * from './core-connection-service';
export * from './per-connection-rpc-service';
export * from './auth/request-users';
export * from './auth/task-submission-limiter';
export * from './auth/studio-auth-contribution';
