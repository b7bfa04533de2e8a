export * from './registry-failure';
