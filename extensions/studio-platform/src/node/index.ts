// What the other extensions' backends and the tests use of the platform (`@coditect/studio-platform/node`).
export * from './workspace-core-host';
export * from './studio-workspace-root';
export * from './studio-user-provider';
export * from './core-connection-service';
export * from './per-connection-rpc-service';
export * from './auth/request-users';
export * from './auth/task-submission-limiter';
export * from './auth/studio-auth-contribution';
export * from './http/json-api';
export * from './http/json-api-endpoint';
export * from './http/http-errors';
export * from './http/http-entry-points';
export * from './auth/auth-config';
export * from './auth/credential-verifier';
export * from './downloads/one-time-downloads';
export * from './downloads/one-time-download-endpoint';
export * from './http/entry-points-endpoint';
