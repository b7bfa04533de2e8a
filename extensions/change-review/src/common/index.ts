export * from './change-review-protocol';
export * from './change-uri';
