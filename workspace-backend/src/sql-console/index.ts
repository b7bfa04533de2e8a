export * from './console-types';
export * from './statement-splitter';
export * from './statement-guard';
export * from './cell-encoding';
export * from './result-export';
export * from './schema-reader';
export * from './sql-history-repository';
export * from './sql-console';
