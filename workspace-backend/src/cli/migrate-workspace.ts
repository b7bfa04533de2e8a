import { resolveWorkspaceConfig } from '../config/workspace-config';
import { DatabaseNames } from '../database/database-names';
import { FileSync } from '../file-sync/file-sync';
import { importV1User, V1ImportError, V1ImportReport } from '../migration/v1-import';
import { V1ImportRepository } from '../migration/v1-import-repository';
import { V1Reader } from '../migration/v1-reader';
import { discardV2Workspace, v2WorkSince } from '../migration/v1-rollback';
import { verifyV1User, V1VerifyReport } from '../migration/v1-verify';
import { SessionTimeline } from '../timeline/session-timeline';
import { resolveTimelineConfig } from '../timeline/timeline-config';
import { CliError, CliValues, ExitCode, out } from './cli-command';
import { oneUser } from './migrate-v1-store';
import { DatabasesAccess, withDatabases } from './one-database';

/*
 * run, verify and rollback on one v2 workspace, named by --data-dir, --workspace and --replica
 * (or the environment), as every command of this CLI names it. The cutover calls the same
 * functions with the workspace's staging folders and its bucket folder.
 */

const refusal = (dataDir: string, why: string) => `Refusing to migrate into ${dataDir}: a studio is running on it; ${why}. `
    + 'A user is moved while their v2 workspace is not in use: stop the studio, then run this again.';

/** The workspace's options: `--data-dir`, `--workspace`, `--replica` (CliValues, so the environment fills in what is not given). */
export type V2WorkspaceOptions = CliValues;

/** Migrates one user into the workspace; a refusal or failure is a CliError with what to do. */
export async function migrateInto(workspace: V2WorkspaceOptions, reader: V1Reader, userId: string, options: { allowSkips: boolean; progress?: (message: string) => void }): Promise<V1ImportReport> {
    return withDatabases(workspace, DatabaseNames, 'write', refusal, async access => {
        const workspaceDir = workspaceOf(workspace, access);
        const settings = resolveTimelineConfig(access.dataDir);
        const timeline = new SessionTimeline({
            db: access.cluster.get('sessions'), recordRun: false,
            archive: { dir: settings.archiveDir, store: access.store, partBytes: settings.partBytes, uploadIntervalMs: 3_600_000 },
        });
        timeline.start();
        let result: V1ImportReport;
        try {
            result = await importV1User(reader, userId, { cluster: access.cluster, timeline, workspaceDir }, options);
        } catch (error) {
            throw error instanceof V1ImportError ? new CliError(error.message, error.refused ? ExitCode.usage : ExitCode.failed) : error;
        } finally {
            // Stopping uploads the archive's parts to the replica.
            await timeline.stop();
        }
        if (access.store) {
            await publishFiles(access, workspaceDir);
        }
        return result;
    });
}

/** Compares the user's v1 data with the workspace (read-only; works beside a running studio). */
export function verifyIn(workspace: V2WorkspaceOptions, reader: V1Reader, userId: string): Promise<V1VerifyReport> {
    return withDatabases(workspace, ['sessions', 'metrics', 'workspace'], 'read', refusal,
        access => verifyV1User(reader, userId, { cluster: access.cluster, workspaceDir: workspaceOf(workspace, access) }));
}

export async function runCommand(values: CliValues, reader: V1Reader): Promise<number> {
    const report = await migrateInto(values, reader, oneUser(values), {
        allowSkips: values['allow-skips'] === true, progress: values.json ? undefined : message => process.stderr.write(`  ${message}\n`),
    });
    if (values.json) {
        process.stdout.write(`${JSON.stringify(report, undefined, 2)}\n`);
    } else {
        const c = report.counts;
        out(`${report.user}: ${c.sessions} session(s) with ${c.events} event(s) (${report.added.events} new), `
            + `${c.files} file(s) (${report.files.written} written, ${report.files.unchanged} already there${report.files.removed.length ? `, ${report.files.removed.length} removed` : ''}), `
            + `${c.costRows} cost row(s) (${report.added.costRows} new), in ${report.durationMs} ms.`);
        if (report.skipped.length) {
            out(`Left out (${report.skipped.length}):`);
            report.skipped.forEach(p => out(`  ${p.object}${p.line ? ` line ${p.line}` : ''}: ${p.problem}`));
        }
        out(`Check it: coditect-workspace migrate verify --user ${report.user}`);
    }
    return ExitCode.ok;
}

/** The workspace's files to the replica's files/ tree, as the studio's file sync sends them (one full pass, no watching). */
async function publishFiles(access: DatabasesAccess, workspaceDir: string): Promise<void> {
    const sync = new FileSync({ store: access.store!, workspaceDir, dataDir: access.dataDir, watch: false });
    await sync.start();
    await sync.stop();
    const pending = sync.pending();
    if (pending.length) {
        throw new CliError(`${pending.length} workspace file(s) did not reach ${access.store!.description} (${pending.slice(0, 3).map(p => `${p.path}${p.error ? `: ${p.error}` : ''}`).join('; ')}); `
            + 'run migrate run again: it sends what is missing.', ExitCode.failed);
    }
}

export async function verifyCommand(values: CliValues, reader: V1Reader): Promise<number> {
    const report = await verifyIn(values, reader, oneUser(values));
    if (values.json) {
        process.stdout.write(`${JSON.stringify(report, undefined, 2)}\n`);
    } else {
        out(`${report.user}: ${report.integrityPct} % (${report.matched} of ${report.checked} v1 items match in v2).`);
        report.differences.forEach(d => out(`  ${d.what} ${d.where}: ${d.difference}`));
    }
    return report.differences.length ? ExitCode.failed : ExitCode.ok;
}

export async function rollbackCommand(values: CliValues): Promise<number> {
    const userId = oneUser(values);
    const started = performance.now();
    const rollbackRefusal = (dataDir: string, why: string) => `Refusing to roll back ${dataDir}: a studio is running on it; ${why}. Stop the workspace first (the fleet's stop, or the studio), then run this again.`;
    const target = await withDatabases(values, DatabaseNames, 'write', rollbackRefusal, async access => {
        const workspaceDir = workspaceOf(values, access);
        const holds = new V1ImportRepository(access.cluster.get('workspace')).all();
        if (!holds.some(row => row.userId === userId)) {
            throw new CliError(holds.length
                ? `This workspace holds v1 user "${holds[0].userId}", not "${userId}"; check --data-dir and --user.`
                : `This workspace holds no migration of v1 user "${userId}" (never migrated, or already rolled back): nothing to roll back.`, ExitCode.failed);
        }
        const work = await v2WorkSince(access.cluster, workspaceDir, userId);
        if (work.length && !values['discard-v2-work']) {
            throw new CliError(`Work was done in the v2 workspace since the migration: ${work.join('; ')}. It would be lost with the workspace; `
                + 'copy what is needed (or move the user forward instead), then run again with --discard-v2-work.', ExitCode.refused);
        }
        return { dataDir: access.dataDir, workspaceDir, store: access.store, work };
    });
    const discarded = await discardV2Workspace(target);
    const report = { user: userId, ...discarded, discardedWork: target.work, durationMs: Math.round(performance.now() - started) };
    if (values.json) {
        process.stdout.write(`${JSON.stringify(report, undefined, 2)}\n`);
    } else {
        out(`${userId}: the v2 workspace is discarded (${discarded.replicaObjects} replica object(s), ${discarded.workspaceEntries} workspace and ${discarded.dataEntries} data entries) in ${report.durationMs} ms. `
            + 'v1 was never changed: the user is on v1 again.');
    }
    return ExitCode.ok;
}

function workspaceOf(values: CliValues, access: DatabasesAccess): string {
    return resolveWorkspaceConfig({ workspaceDir: values.workspace as string | undefined, dataDir: access.dataDir, workspaceOption: '--workspace' }).workspaceDir;
}

