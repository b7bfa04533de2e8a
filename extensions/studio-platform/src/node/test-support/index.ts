export * from './json-api-test-server';
