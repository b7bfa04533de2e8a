export * from './common/emitter';
export * from './config/workspace-config';
export * from './health/workspace-health';
export * from './health/directory-probe';
export * from './core/workspace-core';
