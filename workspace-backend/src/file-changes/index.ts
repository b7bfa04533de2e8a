export * from './change-author';
export * from './change-batcher';
export * from './change-claims';
export * from './change-attributor';
export * from './git-activity';
export * from './running-commands';
export * from './workspace-change-watcher';
export * from './outside-change-marks';
