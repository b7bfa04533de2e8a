export * from './change-review-protocol';
