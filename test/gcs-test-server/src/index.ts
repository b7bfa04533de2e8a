export * from './crc32c';
export * from './faults';
export * from './gcs-test-server';
