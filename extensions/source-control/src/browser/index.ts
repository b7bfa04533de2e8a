// What other packages use of the source-control frontend (`@coditect/source-control/browser`).
export * from './git-commands';
export * from './git-scm-provider';
