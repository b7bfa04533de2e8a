export * from './object-store';
export * from './crc32c';
export * from './directory-object-store';
export * from './gcs-object-store';
export * from './object-store-url';
