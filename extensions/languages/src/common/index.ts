export * from './grammar-route';
export * from './language-configuration-data';
export * from './language-definitions';
