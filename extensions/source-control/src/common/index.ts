export * from './git-protocol';
export * from './git-uri';
