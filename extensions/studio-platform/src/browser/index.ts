// What the other extensions' frontends use of the platform (`@coditect/studio-platform/browser`).
export * from './download-link';
export * from './refreshing-watcher';
export * from './studio-session';
export * from './studio-view-model';
