import type { Principal, SubmitTaskOptions, TaskInfo, WorkflowRunInfo, WorkspaceCore } from '@coditect/workspace-backend';
import type { TaskSubmissionLimiter } from './auth/task-submission-limiter';

/**
 * A task given by `principal` (the Task Queue, the chat, the HTTP API, the `coditect` CLI): counted
 * against their task rate first, recorded as theirs, and answered only once tasks.db's durability
 * acknowledges it, so a task the caller was told about survives a crash.
 */
export async function submitTaskFor(core: WorkspaceCore, limiter: TaskSubmissionLimiter, principal: Principal, agentId: string, options: SubmitTaskOptions): Promise<TaskInfo> {
    await limiter.consume(principal);
    const task = core.orchestrator.submitTask(agentId, { ...options, submittedBy: principal.id });
    await core.durability.acknowledge(`Task #${task.id}`, 'tasks');
    return task;
}

/** A workflow run started by `principal`: its steps are their tasks, so it counts against their rate as a submission does. */
export async function startWorkflowFor(core: WorkspaceCore, limiter: TaskSubmissionLimiter, principal: Principal, name: string, input: string): Promise<WorkflowRunInfo> {
    await limiter.consume(principal);
    const run = core.orchestrator.startWorkflow(principal, name, input);
    await core.durability.acknowledge(`Workflow run #${run.id}`, 'tasks');
    return run;
}
