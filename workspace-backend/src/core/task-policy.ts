import { ownedBy, type PolicyAction, type Principal } from '../policy';
import type { WorkspaceCore } from './workspace-core';

/**
 * Asks the core's policy whether `principal` may act on a task (`task.cancel`,
 * `task.reprioritise`), the task's submitter being its owner; throws PolicyDeniedError (403) when
 * not. An unknown task is left to the orchestrator, whose error names it.
 */
export function authorizeOnTask(core: WorkspaceCore, principal: Principal, action: Extract<PolicyAction, `task.${string}`>, taskId: number): void {
    const task = core.orchestrator.getTask(taskId);
    if (!task) {
        return;
    }
    core.policy.authorize(principal, action, ownedBy(task.submittedBy, `task #${task.id} (${task.agentId})`));
}

/**
 * Whether `principal` may cancel a workflow run: the person who started it, or anyone the policy
 * lets act on others' tasks (`task.cancel`); throws PolicyDeniedError (403) when not.
 */
export function authorizeOnWorkflowRun(core: WorkspaceCore, principal: Principal, runId: number): void {
    const run = core.orchestrator.workflows.get(runId);
    if (!run) {
        return;
    }
    core.policy.authorize(principal, 'task.cancel', ownedBy(run.startedBy, `workflow run #${run.id} (${run.name})`));
}
