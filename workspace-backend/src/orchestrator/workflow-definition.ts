import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFrontMatter } from './front-matter';

/** Where a workspace keeps its workflows: `<name>.md` each. */
export const WorkflowsFolder = '.coditect/workflows';

/** One step: a task given to one agent once the steps it comes after are done. */
export interface WorkflowStep {
    /** Unique in the workflow: lower-case letters, digits and "-". */
    readonly id: string;
    readonly agent: string;
    /** The task's prompt; `{{input}}` is the run's input, `{{steps.<id>}}` an earlier step's summary. */
    readonly prompt: string;
    /** The steps whose results it needs; none: it starts with the run. Only steps above it. */
    readonly after: readonly string[];
}

export interface WorkflowDefinition {
    /** The file's name without `.md`. */
    readonly name: string;
    readonly description: string;
    /** Relative to the workspace. */
    readonly file: string;
    readonly steps: readonly WorkflowStep[];
}

/** The workflows of a workspace that can run, and what is wrong with the files that cannot. */
export interface WorkflowCatalog {
    readonly workflows: readonly WorkflowDefinition[];
    /** A playbook (a Markdown file without `steps`) is not a problem: it is read by people, not run. */
    readonly problems: readonly string[];
}

const StepId = /^[a-z][a-z0-9-]{0,39}$/;
const WorkflowName = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MaxSteps = 20;

/** A workflow file with no `steps` in its front matter: a playbook for people, not one the studio runs. */
export class NotRunnableWorkflow extends Error { }

/**
 * Reads one workflow file (front matter: `description`, `steps`), in the shape:
 *
 *     steps:
 *       - id: implement
 *         agent: codex
 *         prompt: Implement {{input}}.
 *       - id: review          # after the step above it, unless `after` says otherwise
 *         agent: claude
 *         prompt: Review the change.
 *
 * Steps run in order by default; `after: []` starts a step with the run, `after: [a, b]` once both
 * are done (steps after the same step run in parallel). Throws an Error saying what to fix.
 */
export function parseWorkflow(file: string, text: string): WorkflowDefinition {
    const name = path.basename(file, '.md');
    if (!WorkflowName.test(name)) {
        throw new Error(`${file}: a workflow's file name is its name: lower-case letters, digits and "-" (such as code-review.md).`);
    }
    if (!text.startsWith('---')) {
        throw new NotRunnableWorkflow(`${file} has no front matter with steps: it is a playbook to read.`);
    }
    const { front } = readFrontMatter(file, text, 'description and steps');
    if (front.steps === undefined) {
        throw new NotRunnableWorkflow(`${file} has no steps: it is a playbook to read.`);
    }
    const description = typeof front.description === 'string' ? front.description.trim() : '';
    if (!description) {
        throw new Error(`${file}: "description" must say what the workflow does; people pick it by that.`);
    }
    if (!Array.isArray(front.steps) || front.steps.length === 0 || front.steps.length > MaxSteps) {
        throw new Error(`${file}: "steps" must be a list of 1 to ${MaxSteps} steps, each with id, agent and prompt.`);
    }
    const steps: WorkflowStep[] = [];
    for (const [index, raw] of front.steps.entries()) {
        const where = `${file}: step ${index + 1}`;
        const step = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
        if (typeof step.id !== 'string' || !StepId.test(step.id)) {
            throw new Error(`${where}: "id" must be lower-case letters, digits and "-", starting with a letter (such as "review").`);
        }
        if (steps.some(s => s.id === step.id)) {
            throw new Error(`${where}: the id "${step.id}" is used by an earlier step; each step needs its own.`);
        }
        if (typeof step.agent !== 'string' || step.agent.trim() === '') {
            throw new Error(`${where} (${step.id}): "agent" must name the agent that does it, by its id (such as "claude").`);
        }
        if (typeof step.prompt !== 'string' || step.prompt.trim() === '') {
            throw new Error(`${where} (${step.id}): "prompt" must say what the agent is to do.`);
        }
        const after = step.after === undefined ? (steps.length > 0 ? [steps[steps.length - 1].id] : []) : step.after;
        if (!Array.isArray(after) || after.some(a => typeof a !== 'string')) {
            throw new Error(`${where} (${step.id}): "after" must be a list of step ids, such as [implement], or [] to start with the run.`);
        }
        const unknown = after.find(a => !steps.some(s => s.id === a));
        if (unknown !== undefined) {
            throw new Error(`${where} (${step.id}): "after" names "${unknown}", which is not a step above it; a step can only follow steps listed before it.`);
        }
        steps.push({ id: step.id, agent: step.agent.trim(), prompt: step.prompt.trim(), after: [...new Set(after as string[])] });
    }
    return { name, description, file, steps };
}

/** The runnable workflows in `.coditect/workflows`, by name. */
export function readWorkflows(workspaceDir: string): WorkflowCatalog {
    let names: string[];
    try {
        names = fs.readdirSync(path.join(workspaceDir, WorkflowsFolder)).filter(n => n.endsWith('.md')).sort();
    } catch {
        return { workflows: [], problems: [] };
    }
    const workflows: WorkflowDefinition[] = [];
    const problems: string[] = [];
    for (const fileName of names) {
        const file = `${WorkflowsFolder}/${fileName}`;
        try {
            workflows.push(parseWorkflow(file, fs.readFileSync(path.join(workspaceDir, file), 'utf8')));
        } catch (error) {
            if (!(error instanceof NotRunnableWorkflow)) {
                problems.push((error as Error).message);
            }
        }
    }
    return { workflows, problems };
}

/**
 * A step's prompt for a run: `{{input}}` and `{{steps.<id>}}` filled in, then the workflow, the
 * step and what the steps it follows reported, so the agent knows where its task stands.
 */
export function stepPrompt(workflow: { readonly name: string }, runId: number, step: WorkflowStep, input: string, summaries: ReadonlyMap<string, string>): string {
    const filled = step.prompt
        .replace(/\{\{\s*input\s*\}\}/g, input)
        .replace(/\{\{\s*steps\.([a-z][a-z0-9-]*)\s*\}\}/g, (whole, id: string) => summaries.get(id) ?? whole);
    const before = step.after.map(id => `- ${id}: ${summaries.get(id) ?? '(no summary)'}`);
    return [
        filled,
        '',
        `(This is step "${step.id}" of workflow "${workflow.name}", run #${runId}${input ? `, for: ${input}` : ''}.`
        + (before.length > 0 ? ` The steps it follows reported:\n${before.join('\n')})` : ')'),
    ].join('\n');
}
