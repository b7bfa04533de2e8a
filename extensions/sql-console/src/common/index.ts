export * from './sql-console-protocol';
