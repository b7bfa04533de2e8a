export * from './principal';
export * from './policy-table';
export * from './policy';
export * from './secrets';
export * from './workspace-paths';
export * from './entry-policy';
export * from './jwt-verifier';
