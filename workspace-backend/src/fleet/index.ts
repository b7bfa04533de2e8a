// The fleet service's entry for other packages (tests, benchmarks): `@coditect/workspace-backend/fleet`.
// Never exported from the core's index: the studio does not load the Kubernetes client.
export * from './fleet-config';
export * from './fleet-main';
export * from './fleet-metrics';
export * from './fleet-service';
export * from './fleet-registry';
export * from './fleet-credential';
export * from './idle-sweeper';
export * from './v1-migration';
export * from './workspace-info';
export * from './workspace-manifests';
