import { CliError, ExitCode } from '../cli/cli-command';
// Loads no other module (its imports are types only): the one piece of the core the CLI runs.
import { workflowStepsLine } from '../orchestrator/workflow-types';
import { ApiPath, WorkflowRunInfo, WorkflowsAnswer } from './api-types';
import { noMoreArguments } from './command-arguments';
import { CoordinationCommand, jsonText } from './coordination-command';
import { alignedColumns, clockTime, shortened } from './text-format';

export type WorkflowArgs =
    | { readonly subcommand: 'list'; readonly json: boolean }
    | { readonly subcommand: 'run'; readonly name: string; readonly input: string; readonly json: boolean };

const subcommands = ['list', 'run'] as const;

/** `code-review  Codex implements a change, ...` per workflow; then the runs the studio lists, newest as it orders them. */
export function formatWorkflows(answer: WorkflowsAnswer): string[] {
    const problems = (answer.problems ?? []).length > 0 ? ['', 'Cannot run:', ...answer.problems.map(problem => `  ${problem}`)] : [];
    if (answer.workflows.length === 0) {
        return ['No workflows: add one as a Markdown file under .coditect/workflows/ in the workspace.', ...problems];
    }
    const lines = [...alignedColumns(answer.workflows.map(workflow => [workflow.name, shortened(workflow.description, 90)])), ...problems];
    const runs = answer.runs ?? [];
    if (runs.length > 0) {
        lines.push('', 'Runs:', ...alignedColumns(runs.map(run => [`#${run.id}`, run.name, run.status, `started ${clockTime(run.startedAt)} by ${run.startedBy}`])));
    }
    return lines;
}

/** `Started code-review run #3: implement (codex) → review (claude) + tests (gemini) → approve (claude).` */
export function formatStarted(run: WorkflowRunInfo): string {
    return `Started ${run.name} run #${run.id}: ${workflowStepsLine(run.steps)}.`;
}

export const workflowCommand: CoordinationCommand<WorkflowArgs> = {
    name: 'workflow',
    summary: 'List the workspace\'s workflows, or start one.',
    positionals: true,
    subcommands,
    help: `Usage:
  coditect workflow list [--json]
  coditect workflow run <name> [input...] [--json]

A workflow is a team of agents working one job in steps (.coditect/workflows/*.md in the
workspace). list shows each workflow and the runs so far; run starts one in your name, with the
words after its name as its input. Follow a run in the studio's Agent Activity view.
`,
    options: {},
    parse(values, positionals) {
        const [subcommand, name, ...input] = positionals;
        const json = values.json === true;
        if (subcommand === 'list') {
            noMoreArguments(positionals.slice(1), 'workflow list');
            return { subcommand, json };
        }
        if (subcommand === 'run') {
            if (name === undefined) {
                throw new CliError('Name the workflow to run: coditect workflow run code-review Add a --verbose flag (workflow list shows them).');
            }
            return { subcommand, name, input: input.join(' '), json };
        }
        throw new CliError(subcommand === undefined
            ? `Say what to do: coditect workflow ${subcommands.join('|')} (see coditect workflow --help).`
            : `Unknown workflow command "${subcommand}"; use ${subcommands.join(' or ')}.`);
    },
    async run(args, studio, print) {
        if (args.subcommand === 'list') {
            const answer = await studio.get<WorkflowsAnswer>(ApiPath.workflows);
            (args.json ? [jsonText(answer)] : formatWorkflows(answer)).forEach(line => print(line));
            return ExitCode.ok;
        }
        const run = await studio.post<WorkflowRunInfo>(`${ApiPath.workflows}/${encodeURIComponent(args.name)}/runs`, { input: args.input });
        print(args.json ? jsonText(run) : formatStarted(run));
        return ExitCode.ok;
    },
};
