export * from './cost-dashboard-protocol';
export * from './cost-preferences';
export * from './money-format';
