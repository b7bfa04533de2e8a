import type { TaskStatus } from './task-repository';
import type { WorkflowRunStatus } from './workflow-run-repository';

/** A step of a run: waiting for the steps it follows, or its task's status. */
export interface WorkflowRunStep {
    readonly id: string;
    readonly agent: string;
    readonly after: readonly string[];
    readonly status: 'waiting' | TaskStatus;
    readonly taskId?: number;
    readonly summary?: string;
    readonly error?: string;
}

export interface WorkflowRunInfo {
    readonly id: number;
    readonly name: string;
    readonly description: string;
    readonly input: string;
    readonly status: WorkflowRunStatus;
    readonly startedBy: string;
    readonly startedAt: number;
    readonly finishedAt?: number;
    readonly error?: string;
    readonly steps: readonly WorkflowRunStep[];
}

/** A workflow that is not in the workspace, or a run that does not exist: 404 at the API. */
export class UnknownWorkflowError extends Error { }
/** A workflow that cannot start as asked (an agent it names is missing, a run already ended): 400 at the API. */
export class WorkflowRequestError extends Error { }

/**
 * The steps in one line as people read them: "implement (codex) → review (claude) + tests (gemini) → approve (claude)";
 * "+" joins a step to the one before it when both follow the same steps (they run at once), "→" otherwise.
 */
export function workflowStepsLine(steps: readonly { readonly id: string; readonly agent: string; readonly after: readonly string[] }[]): string {
    return steps.map((step, i) => `${i === 0 ? '' : stepsRunTogether(steps[i - 1], step) ? ' + ' : ' → '}${step.id} (${step.agent})`).join('');
}

/** Two steps that follow the same steps start together. */
export function stepsRunTogether(a: { readonly after: readonly string[] }, b: { readonly after: readonly string[] }): boolean {
    return a.after.length === b.after.length && a.after.every(id => b.after.includes(id));
}
