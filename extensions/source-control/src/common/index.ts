export * from './git-protocol';
export * from './git-uri';
export * from './change-hunk';
