// The browser-safe entry of the workspace core (`@coditect/workspace-backend/types`): the plain data
// types and pure modules that the extensions' common/ and browser/ code may load. Every module
// re-exported here loads nothing at runtime (only `import type`), so this entry pulls no Node
// built-in and no other part of the core into the browser bundle; .dependency-cruiser.cjs
// (`types-entry-is-pure`) keeps it so. Types of other modules are re-exported type-only.
export * from './policy/grant';
export * from './health/workspace-health';
export * from './locks/lock-types';
export * from './sql-console/console-types';
export * from './timeline/timeline-types';
export * from './costs/cost-types';
export * from './costs/price-types';
export * from './orchestrator/agent-state';
export * from './orchestrator/agent-overrides-preference';
export * from './orchestrator/orchestrator-types';
export * from './chat/chat-types';
export * from './changes/change-set-types';
export type { TaskInfo, TaskStatus } from './orchestrator/task-repository';
export type { CostsChange } from './costs/workspace-costs';
export type { FileSyncStatus, PendingPath } from './file-sync/file-sync-types';
export type { ProviderKeySource } from './providers/provider-config';
export type { ProviderKeyStatus } from './providers/provider-keys';
export type { BusMessage } from './orchestrator/bus-store';
export * from './orchestrator/topic-pattern';
export * from './orchestrator/workflow-types';
export type { WorkflowCatalog, WorkflowDefinition, WorkflowStep } from './orchestrator/workflow-definition';
export type { WorkflowRunStatus } from './orchestrator/workflow-run-repository';
