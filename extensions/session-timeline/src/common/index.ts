export * from './session-timeline-protocol';
export * from './session-timeline-preferences';
export * from './timeline-uri';
