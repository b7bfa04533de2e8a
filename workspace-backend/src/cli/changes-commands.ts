import * as os from 'node:os';
import { ChangeSets, InvalidReviewError, UnknownChangeSetError } from '../changes/change-sets';
import type { ChangeSetSummary, ReviewResult } from '../changes/change-set-types';
import { PlainReviewWriter } from '../changes/plain-review-writer';
import { resolveWorkspaceConfig } from '../config/workspace-config';
import { WorkspacePaths } from '../policy/workspace-paths';
import { CliCommand, CliError, ExitCode, integerOption, out } from './cli-command';
import { dataDirectoryHelp, dataDirectoryOptions, withOneDatabase } from './one-database';

const statusLetter = { added: 'A', modified: 'M', deleted: 'D' } as const;


/** Unknown ids and bad reviews are the operator's input: their message, exit 2. */
function asCliError(error: unknown): unknown {
    return error instanceof UnknownChangeSetError || error instanceof InvalidReviewError ? new CliError(error.message) : error;
}

function formatSummary(set: ChangeSetSummary): string[] {
    return [
        `#${set.taskId} ${set.agentId} "${set.title.split('\n')[0]}" ${set.taskStatus ?? ''} ${set.review}${set.apply === 'waiting' ? ' (waiting for review: not in the workspace)' : ''} +${set.added} -${set.removed}`.replace(/ {2,}/g, ' '),
        ...set.files.map(f => `  ${statusLetter[f.status]} ${f.path} +${f.added} -${f.removed} ${f.review}`),
        ...commitLines(set),
    ];
}

function commitLines(set: ChangeSetSummary): string[] {
    return (set.commits ?? []).map(c => `  commit ${c.sha.slice(0, 7)} ${c.subject}`);
}

export const changesCommand: CliCommand = {
    name: 'changes',
    summary: 'List the tasks\' change sets (what each task changed), or show one with its diffs.',
    help: `Usage: coditect-workspace changes [options]

Lists every task's change set, newest first: the task, its agent and title, its review state,
each file it created (A), modified (M) or deleted (D) with its line counts, and each git commit
its commands made in the workspace's repository. With --task, shows that change set with each
file's unified diff and its hunks (numbered for \`revert --hunk\`).
Works beside a running studio (it only reads).

Options:
  --task <id>         Show this task's change set with its diffs
  --agent <id>        Only this agent's change sets
  --limit <n>         At most this many (default 100)
  --json              Print JSON (the HTTP API's shape)
${dataDirectoryHelp}
`,
    options: { ...dataDirectoryOptions, task: { type: 'string' }, agent: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean', default: false } },
    async run(values) {
        const taskId = integerOption(values, 'task');
        const refusal = () => 'Listing changes never writes';
        return withOneDatabase(values, 'sessions', 'read', refusal, async ({ db }) => {
            const changes = new ChangeSets({ db, writer: { replace: () => Promise.reject(new Error('read only')) } });
            try {
                if (taskId !== undefined) {
                    const set = changes.get(taskId);
                    if (values.json) {
                        out(JSON.stringify(set, undefined, 2));
                        return ExitCode.ok;
                    }
                    [...formatSummary(set).slice(0, 1), ...commitLines(set)].forEach(out);
                    for (const file of set.files) {
                        out(`\n${statusLetter[file.status]} ${file.path}: ${file.hunkList.map(h => `hunk ${h.index} (${h.review})`).join(', ')}`);
                        process.stdout.write(file.diff);
                    }
                    return ExitCode.ok;
                }
                const sets = changes.list({ agentId: values.agent as string | undefined, limit: integerOption(values, 'limit') });
                if (values.json) {
                    out(JSON.stringify({ changeSets: sets }, undefined, 2));
                } else if (sets.length === 0) {
                    out('No change sets: no task has changed a workspace file yet.');
                } else {
                    sets.flatMap(formatSummary).forEach(out);
                }
                return ExitCode.ok;
            } catch (error) {
                throw asCliError(error);
            } finally {
                changes.dispose();
            }
        });
    },
};

export const revertCommand: CliCommand = {
    name: 'revert',
    summary: 'Take back a task\'s changes (all of them, one file, or one hunk) with the studio stopped.',
    help: `Usage: coditect-workspace revert --task <id> [--path <file> [--hunk <n>]] [options]

Rejects a task's change set, or one file or hunk of it: the file goes back to what it was before
the task, merged three ways with whatever changed it since. Where a later change touched the same
lines, the file is left as it is and the conflict is printed (exit 1); nothing is overwritten.
A file the task created is deleted; one it deleted comes back.

Refused (exit 3) while a studio runs on this data directory: review in the IDE (the Changes view)
or over HTTP (POST /coditect/api/changes/<id>/review), where the file's lock is respected.

Options:
  --task <id>         The task whose changes to take back
  --path <file>       Only this file (workspace-relative)
  --hunk <n>          Only this hunk of the file (see \`changes --task <id>\`)
  --workspace <dir>   The workspace folder (default: $STUDIO_WORKSPACE)
  --json              Print the outcome as JSON
${dataDirectoryHelp}
`,
    options: { ...dataDirectoryOptions, task: { type: 'string' }, path: { type: 'string' }, hunk: { type: 'string' }, workspace: { type: 'string' }, json: { type: 'boolean', default: false } },
    async run(values) {
        const taskId = integerOption(values, 'task');
        if (taskId === undefined) {
            throw new CliError('Name the task: --task <id> (coditect-workspace changes lists them).');
        }
        const hunk = integerOption(values, 'hunk', 0, 'hunk number (0, 1, …; `changes --task <id>` lists them)');
        const refusal = (dataDir: string, why: string) => `Refusing to revert in ${dataDir}: a studio is running on it; ${why}. `
            + `Review in the IDE (the Changes view) or POST /coditect/api/changes/${taskId}/review, where agents' locks are respected; or stop the studio and run this again.`;
        return withOneDatabase(values, 'sessions', 'write', refusal, async ({ db, dataDir }) => {
            let workspaceDir: string;
            try {
                workspaceDir = resolveWorkspaceConfig({ workspaceDir: values.workspace as string | undefined, dataDir, workspaceOption: '--workspace' }).workspaceDir;
            } catch (error) {
                throw new CliError((error as Error).message);
            }
            const changes = new ChangeSets({ db, writer: new PlainReviewWriter(new WorkspacePaths(workspaceDir)) });
            const user = os.userInfo().username;
            let result: ReviewResult;
            try {
                result = await changes.review({ taskId, path: values.path as string | undefined, hunk, decision: 'reject' }, { id: `cli:${user}`, displayName: `${user} (CLI)` });
            } catch (error) {
                throw asCliError(error);
            } finally {
                changes.dispose();
            }
            if (values.json) {
                out(JSON.stringify(result, undefined, 2));
            } else {
                for (const file of result.files) {
                    if (file.outcome === 'applied') {
                        out(`${file.path}: ${file.wrote ? 'taken back' : 'already as wanted'} (now ${file.review})`);
                    } else {
                        out(`${file.path}: NOT taken back: ${file.reason}`);
                        file.conflicts.forEach(c => out(`  line ${c.line}: now ${JSON.stringify(c.current)}, the task wrote ${JSON.stringify(c.reviewed)}, before it ${JSON.stringify(c.wanted)}`));
                    }
                }
            }
            return result.files.some(f => f.outcome === 'conflict') ? ExitCode.failed : ExitCode.ok;
        });
    },
};
