// The test helpers of the workspace core that other packages' tests use
// (`@coditect/workspace-backend/test-support`): scripted agents, replica stores. Production code
// never loads it (.dependency-cruiser.cjs, `production-code-loads-no-test-code`).
export * from '../orchestrator/test-support/agent-script-file';
export * from '../orchestrator/test-support/scripted-provider-factory';
export * from '../replication/test-support/replica-store-fixtures';
export * from '../common/test-support/wait-for-value';
export * from '../common/test-support/replica-setting';
export * from '../migration/test-support/s3-test-server';
export * from '../migration/v1-generator';
export * from '../telemetry/test-support/prometheus-text';
export * from '../telemetry/test-support/otlp-receiver';
