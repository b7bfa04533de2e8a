// What other packages and the tests use of the source-control backend (`@coditect/source-control/node`).
export * from './git-service-impl';
export * from './git-failure';
