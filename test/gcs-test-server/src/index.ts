export * from './crc32c';
export * from './faults';
export * from './fault-proxy';
export * from './gcs-test-server';
