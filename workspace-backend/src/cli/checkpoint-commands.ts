import * as os from 'node:os';
import { Checkpoints, InvalidHistoryRequestError, UnknownCheckpointError } from '../changes/checkpoints';
import type { CheckpointInfo, CheckpointRestoreResult } from '../changes/change-set-types';
import { resolveHistoryConfig } from '../changes/history-config';
import { PlainReviewWriter } from '../changes/plain-review-writer';
import { WorkspaceJournal } from '../changes/workspace-journal';
import { resolveWorkspaceConfig } from '../config/workspace-config';
import type { SqliteDatabase } from '../database/sqlite-database';
import { workspaceIgnoreRules } from '../file-sync/ignore-rules';
import { WorkspacePathError, WorkspacePaths } from '../policy/workspace-paths';
import { CliCommand, CliError, CliValues, ExitCode, integerOption, out } from './cli-command';
import { dataDirectoryHelp, dataDirectoryOptions, withOneDatabase } from './one-database';


/** The data directory's checkpoints over its workspace's journal. */
function checkpointsOf(values: CliValues, db: SqliteDatabase, dataDir: string): Checkpoints {
    let workspaceDir: string;
    try {
        workspaceDir = resolveWorkspaceConfig({ workspaceDir: values.workspace as string | undefined, dataDir, workspaceOption: '--workspace' }).workspaceDir;
    } catch (error) {
        throw new CliError((error as Error).message);
    }
    let maxKeptBytes: number;
    try {
        maxKeptBytes = resolveHistoryConfig().maxKeptBytes;
    } catch (error) {
        throw new CliError((error as Error).message);
    }
    const journal = new WorkspaceJournal({ db, workspaceDir, rules: workspaceIgnoreRules(workspaceDir, dataDir), maxKeptBytes });
    return new Checkpoints({ db, journal, writer: new PlainReviewWriter(new WorkspacePaths(workspaceDir)) });
}

function formatCheckpoint(checkpoint: CheckpointInfo): string {
    return `#${checkpoint.id} ${new Date(checkpoint.at).toISOString()} ${checkpoint.label}${checkpoint.available ? '' : ' (before the history began: cannot be restored)'}`;
}

const workspaceOption = { workspace: { type: 'string' } } as const;

export const checkpointsCommand: CliCommand = {
    name: 'checkpoints',
    summary: 'List the checkpoints the workspace can be put back to (before each task, before each rewind).',
    help: `Usage: coditect-workspace checkpoints [options]

Lists the checkpoints, newest first: one before each task first started, and one before each
rewind (restoring it undoes the rewind). Works beside a running studio (it only reads).

Options:
  --limit <n>         At most this many (default 100)
  --workspace <dir>   The workspace folder (default: $STUDIO_WORKSPACE)
  --json              Print JSON (the HTTP API's shape)
${dataDirectoryHelp}
`,
    options: { ...dataDirectoryOptions, ...workspaceOption, limit: { type: 'string' }, json: { type: 'boolean', default: false } },
    async run(values) {
        const limit = integerOption(values, 'limit');
        return withOneDatabase(values, 'sessions', 'read', () => 'Listing checkpoints never writes', async ({ db, dataDir }) => {
            const checkpoints = checkpointsOf(values, db, dataDir);
            try {
                const list = checkpoints.list(limit);
                if (values.json) {
                    out(JSON.stringify({ checkpoints: list }, undefined, 2));
                } else if (list.length === 0) {
                    out('No checkpoints: no task has started yet.');
                } else {
                    list.map(formatCheckpoint).forEach(out);
                }
                return ExitCode.ok;
            } finally {
                checkpoints.dispose();
            }
        });
    },
};

export const rewindCommand: CliCommand = {
    name: 'rewind',
    summary: 'Put the workspace (or one file) back as it was at a checkpoint, with the studio stopped.',
    help: `Usage: coditect-workspace rewind --checkpoint <id> [--path <file>] [options]

Puts every workspace file changed since the checkpoint back as it was then (deleting files that
did not exist), or only --path. First notes what changed in the workspace since the studio
stopped, and makes a checkpoint of now: rewinding to that one undoes this. Files larger than the
studio keeps (1 MiB) are listed as skipped (exit 1).

Refused (exit 3) while a studio runs on this data directory: restore in the IDE (the Changes
view) or over HTTP (POST /coditect/api/checkpoints/<id>/restore), where agents' locks are respected.

Options:
  --checkpoint <id>   The checkpoint (coditect-workspace checkpoints lists them)
  --path <file>       Only this file (workspace-relative)
  --workspace <dir>   The workspace folder (default: $STUDIO_WORKSPACE)
  --json              Print the outcome as JSON
${dataDirectoryHelp}
`,
    options: { ...dataDirectoryOptions, ...workspaceOption, checkpoint: { type: 'string' }, path: { type: 'string' }, json: { type: 'boolean', default: false } },
    async run(values) {
        const checkpointId = integerOption(values, 'checkpoint');
        if (checkpointId === undefined) {
            throw new CliError('Name the checkpoint: --checkpoint <id> (coditect-workspace checkpoints lists them).');
        }
        const refusal = (dataDir: string, why: string) => `Refusing to rewind in ${dataDir}: a studio is running on it; ${why}. `
            + `Restore in the IDE (the Changes view) or POST /coditect/api/checkpoints/${checkpointId}/restore, where agents' locks are respected; or stop the studio and run this again.`;
        return withOneDatabase(values, 'sessions', 'write', refusal, async ({ db, dataDir }) => {
            const checkpoints = checkpointsOf(values, db, dataDir);
            const user = os.userInfo().username;
            let result: CheckpointRestoreResult;
            try {
                await checkpoints.journal.scan();
                result = await checkpoints.restore({ checkpointId, path: values.path as string | undefined }, { id: `cli:${user}`, displayName: `${user} (CLI)` });
            } catch (error) {
                throw error instanceof UnknownCheckpointError || error instanceof InvalidHistoryRequestError || error instanceof WorkspacePathError ? new CliError(error.message) : error;
            } finally {
                checkpoints.dispose();
            }
            if (values.json) {
                out(JSON.stringify(result, undefined, 2));
            } else {
                if (result.files.length === 0) {
                    out(`Nothing to put back: ${values.path ?? 'the workspace'} is as it was at checkpoint #${checkpointId}.`);
                }
                result.files.forEach(f => out(`${f.path}: ${f.outcome}${f.reason ? ` (${f.reason})` : ''}`));
                out(`Undo with: coditect-workspace rewind --checkpoint ${result.undoCheckpointId}`);
            }
            return result.files.some(f => f.outcome === 'skipped' || f.outcome === 'failed') ? ExitCode.failed : ExitCode.ok;
        });
    },
};
