export * from './file-sync';
export * from './file-sync-config';
export * from './file-sync-health';
export * from './file-version';
export * from './ignore-rules';
export * from './remote-index';
export * from './conflict-name';
export * from './reconcile-plan';
