import type { Emitter } from '../common/emitter';
import type { OrchestratorEvent } from './orchestrator-types';
import type { TaskQueue } from './task-queue';
import type { TaskInfo, TaskStatus } from './task-repository';
import { readWorkflows, stepPrompt, WorkflowCatalog, WorkflowsFolder } from './workflow-definition';
import { WorkflowRunRecord, WorkflowRunRepository } from './workflow-run-repository';
import { UnknownWorkflowError, WorkflowRequestError, WorkflowRunInfo } from './workflow-types';

export interface WorkflowRunnerParts {
    readonly workspaceDir: string;
    readonly runs: WorkflowRunRepository;
    readonly queue: Pick<TaskQueue, 'enqueue' | 'cancel'>;
    readonly tasksOfRun: (runId: number) => TaskInfo[];
    readonly agentIds: () => readonly string[];
    readonly events: Pick<Emitter<OrchestratorEvent>, 'fire'>;
    /** Aborted when the orchestrator stops: a run does not move on (nor fail for a queue that refuses) while it does; the next start resumes it. */
    readonly shutdown: AbortSignal;
}

const MaxInputLength = 4000;

/** A run's tasks by the step each one is (a run has one task per step). */
const tasksByStep = (tasks: readonly TaskInfo[]) => new Map(tasks.map(task => [task.workflow!.step, task]));
const Unfinished = (status: TaskStatus) => status === 'queued' || status === 'running';

/**
 * Runs the workspace's workflows (`.coditect/workflows/*.md`, workflow-definition.ts): each step
 * becomes a task of its agent once the steps it follows are done, with their summaries in its
 * prompt; steps whose predecessors are done together run in parallel.
 *
 * Invariants:
 * - The tasks are the truth: a step has started exactly when a task of the run names it (the
 *   task's row carries its run and step, in the commit that queues it), so advancing a run again,
 *   after a restart or a repeated event, never queues a step twice.
 * - A run ends once: done when every step is done; failed at the first step that fails or is
 *   cancelled (its other unfinished steps are cancelled); cancelled when a person cancels it.
 */
export class WorkflowRunner {
    constructor(protected readonly parts: WorkflowRunnerParts) { }

    /** The workflows people can run, read from the workspace now (an edited file counts at once). */
    catalog(): WorkflowCatalog {
        return readWorkflows(this.parts.workspaceDir);
    }

    /** Starts a run of the workflow in the name of `startedBy` (a principal id): its first steps are queued at once. */
    start(name: string, input: string, startedBy: string): WorkflowRunInfo {
        if (typeof input !== 'string' || input.length > MaxInputLength) {
            throw new WorkflowRequestError(`A workflow's input must be text of at most ${MaxInputLength} characters (what it is for, such as "src/cart.ts").`);
        }
        const catalog = this.catalog();
        const definition = catalog.workflows.find(w => w.name === name);
        if (!definition) {
            const problem = catalog.problems.find(p => p.includes(`/${name}.md`));
            throw new UnknownWorkflowError(problem ?? `There is no workflow "${name}" in ${WorkflowsFolder}; `
                + (catalog.workflows.length > 0 ? `workflows: ${catalog.workflows.map(w => w.name).join(', ')}.` : 'add one as <name>.md with steps in its front matter.'));
        }
        const agents = this.parts.agentIds();
        const missing = definition.steps.find(step => !agents.includes(step.agent));
        if (missing) {
            throw new WorkflowRequestError(`${definition.file}: step "${missing.id}" names the agent "${missing.agent}", which this workspace does not have (agents: ${agents.join(', ')}); fix the step's "agent".`);
        }
        const run = this.parts.runs.insert(definition, input.trim(), startedBy);
        return this.advance(run.id);
    }

    /** Cancels the run's unfinished steps; the run ends cancelled. */
    cancel(runId: number, reason = 'the workflow run was cancelled'): WorkflowRunInfo {
        const run = this.require(runId);
        if (run.status !== 'running') {
            throw new WorkflowRequestError(`Workflow run #${runId} has already ended (${run.status}).`);
        }
        this.parts.runs.finish(runId, 'cancelled', reason);
        this.cancelUnfinished(runId, reason);
        return this.announce(runId);
    }

    get(runId: number): WorkflowRunInfo | undefined {
        const run = this.parts.runs.get(runId);
        return run && this.infoOf(run, this.parts.tasksOfRun(runId));
    }

    /** Running runs first, then the latest ended ones. */
    list(limit = 20): WorkflowRunInfo[] {
        return this.parts.runs.list(limit).map(run => this.infoOf(run, this.parts.tasksOfRun(run.id)));
    }

    /** At start: every run still running moves on from what its tasks did while the studio was stopped. */
    resume(): void {
        for (const run of this.parts.runs.running()) {
            this.advance(run.id);
        }
    }

    /** A task changed: when it is a step that ended, its run moves on. */
    taskChanged(task: TaskInfo): void {
        const runId = task.workflow?.runId;
        if (runId !== undefined && !Unfinished(task.status)) {
            // After the event that ended the step has reached every listener, so the next step's events follow it.
            queueMicrotask(() => {
                if (!this.parts.shutdown.aborted) {
                    this.advance(runId);
                }
            });
        }
    }

    protected require(runId: number): WorkflowRunRecord {
        const run = this.parts.runs.get(runId);
        if (!run) {
            throw new UnknownWorkflowError(`There is no workflow run #${runId}.`);
        }
        return run;
    }

    /** Ends the run if a step failed or all are done; else queues every step whose predecessors are all done. */
    protected advance(runId: number): WorkflowRunInfo {
        const run = this.require(runId);
        if (run.status !== 'running') {
            // Its end was announced when it ended (a step this run cancelled ends after it).
            return this.get(runId)!;
        }
        const byStep = this.latestTaskByStep(runId);
        const broken = run.definition.steps.find(step => {
            const status = byStep.get(step.id)?.status;
            return status === 'failed' || status === 'cancelled';
        });
        if (broken) {
            const task = byStep.get(broken.id)!;
            return this.fail(runId, `Step "${broken.id}" (${broken.agent}, task #${task.id}) ${task.status}: ${task.result?.error ?? task.lastError ?? 'no reason given'}`);
        }
        if (run.definition.steps.every(step => byStep.get(step.id)?.status === 'done')) {
            this.parts.runs.finish(runId, 'done');
            return this.announce(runId);
        }
        const summaries = new Map([...byStep].filter(([, t]) => t.status === 'done').map(([id, t]) => [id, t.result?.summary ?? '']));
        for (const step of run.definition.steps) {
            if (byStep.has(step.id) || !step.after.every(id => summaries.has(id))) {
                continue;
            }
            try {
                const task = this.parts.queue.enqueue(step.agent, {
                    prompt: stepPrompt(run.definition, runId, step, run.input, summaries),
                    title: `${run.definition.name} #${runId} · ${step.id}${run.input ? `: ${run.input}` : ''}`,
                    // The tree in the task queue: a step under the first step it follows.
                    parentTaskId: step.after.length > 0 ? byStep.get(step.after[0])?.id : undefined,
                    submittedBy: run.startedBy,
                    workflow: { runId, name: run.definition.name, step: step.id },
                });
                byStep.set(step.id, task);
            } catch (error) {
                return this.fail(runId, `Step "${step.id}" could not be given to ${step.agent}: ${(error as Error).message}`);
            }
        }
        return this.announce(runId);
    }

    /** Ends the run failed, cancels its unfinished steps, and says so. */
    protected fail(runId: number, reason: string): WorkflowRunInfo {
        this.parts.runs.finish(runId, 'failed', reason);
        this.cancelUnfinished(runId, `workflow run #${runId} failed: ${reason}`);
        return this.announce(runId);
    }

    protected latestTaskByStep(runId: number): Map<string, TaskInfo> {
        return tasksByStep(this.parts.tasksOfRun(runId));
    }

    protected cancelUnfinished(runId: number, reason: string): void {
        for (const task of this.parts.tasksOfRun(runId).filter(t => Unfinished(t.status))) {
            this.parts.queue.cancel(task.id, reason);
        }
    }

    protected announce(runId: number): WorkflowRunInfo {
        const info = this.get(runId)!;
        this.parts.events.fire({ type: 'workflow', run: info });
        return info;
    }

    protected infoOf(run: WorkflowRunRecord, tasks: readonly TaskInfo[]): WorkflowRunInfo {
        const byStep = tasksByStep(tasks);
        return {
            id: run.id, name: run.definition.name, description: run.definition.description, input: run.input, status: run.status,
            startedBy: run.startedBy, startedAt: run.startedAt, finishedAt: run.finishedAt, error: run.error,
            steps: run.definition.steps.map(step => {
                const task = byStep.get(step.id);
                return {
                    id: step.id, agent: step.agent, after: step.after, status: task?.status ?? 'waiting', taskId: task?.id,
                    ...(task?.result?.summary !== undefined ? { summary: task.result.summary } : {}),
                    ...(task?.result?.error !== undefined ? { error: task.result.error } : {}),
                };
            }),
        };
    }
}
