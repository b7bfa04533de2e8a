import { BadRequestError, JsonApi, JsonApiEndpoint, JsonRequest, optionalNumber, optionalString, positiveQueryNumber, requiredString, TaskSubmissionLimiter } from '@coditect/studio-platform/node';
import { inject, injectable } from '@theia/core/shared/inversify';
import { startWorkflowFor, submitTaskFor } from '@coditect/studio-platform/node';
import { tasksOfEveryAgent } from './orchestrator-actions';

export const TASKS_HTTP_PATH = '/coditect/api/tasks';
export const WORKFLOWS_HTTP_PATH = '/coditect/api/workflows';

/** Finished tasks listed per agent by default, and at most. */
const DefaultFinished = 20;
const MaxFinished = 500;

/**
 * Tasks over HTTP, for the `coditect` CLI in a studio terminal and people's scripts, by the same
 * rules as the Task Queue (the same rate per person, tasks.db's acknowledgement before the answer):
 *
 *   GET  /coditect/api/tasks[?agent=claude&limit=20]      -> { tasks } (queued, running, then `limit` finished per agent)
 *   POST /coditect/api/tasks  { agent, prompt, priority?, title?, budgetUsd? }   -> 201 task
 *        (budgetUsd: what the task and every task it delegates may spend together; past it the tree is cancelled)
 *
 * Invariant: a task is submitted as the request's principal; nothing in the body chooses who gave it.
 */
@injectable()
export class TasksHttpEndpoint extends JsonApiEndpoint {

    @inject(TaskSubmissionLimiter) protected readonly limiter: TaskSubmissionLimiter;

    protected api(): JsonApi {
        return {
            basePath: TASKS_HTTP_PATH, bodyLimit: '256kb', bodyExample: '{"agent":"claude","prompt":"add tests for src/cart.ts"}',
            routes: [
                {
                    method: 'GET', path: '/', action: 'workspace.read', handle: ({ request, core }) => {
                        const agent = optionalString(request.query.agent, 'agent');
                        const limit = Math.min(MaxFinished, positiveQueryNumber(request.query, 'limit') ?? DefaultFinished);
                        return { status: 200, body: { tasks: agent ? core.orchestrator.listTasks(agent, limit) : tasksOfEveryAgent(core.orchestrator, limit) } };
                    },
                },
                { method: 'POST', path: '/', action: 'task.submit', handle: input => this.submit(input) },
            ],
        };
    }

    protected async submit({ request, core, principal }: JsonRequest): Promise<{ status: number; body: unknown }> {
        const body = request.body ?? {};
        const prompt = requiredString(body.prompt, 'prompt');
        const task = await submitTaskFor(core, this.limiter, principal, requiredString(body.agent, 'agent'), {
            prompt, title: optionalString(body.title, 'title'), priority: optionalNumber(body.priority, 'priority'), budgetUsd: budgetOf(body.budgetUsd),
        });
        return { status: 201, body: task };
    }
}

/** A budget in USD as a number or decimal text; the core says what is wrong with an amount. */
function budgetOf(value: unknown): number | string | undefined {
    if (value !== undefined && typeof value !== 'number' && typeof value !== 'string') {
        throw new BadRequestError('"budgetUsd" must be an amount in USD, such as 2.5 or "0.75".');
    }
    return value;
}

/**
 * Workflows over HTTP (`coditect workflow list|run`):
 *
 *   GET  /coditect/api/workflows                      -> { workflows, problems, runs }
 *   POST /coditect/api/workflows/:name/runs { input? } -> 201 run (its steps are the caller's tasks)
 */
@injectable()
export class WorkflowsHttpEndpoint extends JsonApiEndpoint {

    @inject(TaskSubmissionLimiter) protected readonly limiter: TaskSubmissionLimiter;

    protected api(): JsonApi {
        return {
            basePath: WORKFLOWS_HTTP_PATH, bodyLimit: '64kb', bodyExample: '{"input":"src/cart.ts"}',
            routes: [
                {
                    method: 'GET', path: '/', action: 'workspace.read', handle: ({ core }) => {
                        const { workflows, problems } = core.orchestrator.workflows.catalog();
                        return { status: 200, body: { workflows, problems, runs: core.orchestrator.workflows.list() } };
                    },
                },
                {
                    method: 'POST', path: '/:name/runs', action: 'task.submit', handle: async ({ request, core, principal }) => {
                        const input = request.body?.input ?? '';
                        if (typeof input !== 'string') {
                            throw new BadRequestError('"input" must be text: what the run is for, such as "src/cart.ts".');
                        }
                        return { status: 201, body: await startWorkflowFor(core, this.limiter, principal, request.params.name, input) };
                    },
                },
            ],
        };
    }
}
