export * from './registry-failure';
export * from './registry-preferences';
