import * as fs from 'node:fs';
import { ConfigError, resolveWorkspaceConfig } from '../config/workspace-config';
import { DatabaseCluster } from '../database/database-cluster';
import { checkManifest, FilesRestoreError, restoreFiles } from '../file-sync/restore-files';
import { syncDirectory } from '../object-store/directory-object-store';
import { FencedError } from '../replication/lease';
import { incomingPath, NoRestorePointsError, PointRestoreResult, restoreToRestorePoint, swapInIncoming } from '../replication/point-restore';
import { RestoreError, RestoreProgress, RestoreResult, restoreDatabase } from '../replication/restore';
import { ReplicationManager } from '../replication/replication-manager';
import { CliCommand, CliError, CliValues, ExitCode, formatBytes, out } from './cli-command';
import { assertReplicaExists, replicaOptions, replicaOptionsHelp, ReplicaTarget, resolveReplicaTarget } from './replica-target';
import { liveLeaseHolder } from './studio-running';

export const restoreCommand: CliCommand = {
    name: 'restore',
    summary: 'Bring every database and the workspace files back to one restore point (the newest, or --timestamp).',
    help: `Usage: coditect-workspace restore [options]

Restores the whole workspace to one instant: the newest restore point (with --timestamp, the
newest at or before that time) whose every object is present and valid. Each database is rebuilt
to exactly the point's chain position and checked with integrity_check; the workspace files
(with --workspace or STUDIO_WORKSPACE) are set to the point's manifest, in the folder and in the
store's index. A point with missing or damaged objects is skipped for the one before, and said
so. Existing database files are moved aside (<name>.db.before-restore-<time>, with its -wal),
never deleted. The restored instant then becomes the live history: each database starts a new
generation from it and a new restore point records it, so later points stay restorable.

A replica without restore points (written before they existed) falls back to restoring each
database to its own newest chain, and says so. --db restores only the named databases, each to
its own newest chain (not to a restore point).

Refused (exit 3) while the studio appears to be running against this replica (its replication
lease was renewed recently): replacing files under a running studio loses its writes. Stop the
studio first, or pass --force. Exit 1 when nothing can be restored (for --timestamp: no point
that old; the message names the oldest); exit 2 on bad input.

Options:
  --timestamp <ISO>   Restore the instant of the newest restore point at or before this time
                      (e.g. 2025-06-01T12:00:00Z)
  --workspace <dir>   The workspace folder whose files are restored too (default: $STUDIO_WORKSPACE)
  --force             Restore even though a studio seems to hold the replica lease
${replicaOptionsHelp}`,
    options: { ...replicaOptions, force: { type: 'boolean', default: false }, timestamp: { type: 'string' }, workspace: { type: 'string' } },
    async run(values) {
        const target = resolveReplicaTarget(values);
        const at = parseTimestamp(values.timestamp as string | undefined);
        if (at && values.db !== undefined) {
            throw new CliError('--timestamp restores every database together to one restore point; drop --db.');
        }
        assertReplicaExists(target.store);
        const live = await liveLeaseHolder(target.store);
        if (live && !values.force) {
            throw new CliError(
                `Refusing to restore into ${target.dataDir}: a studio appears to be running against ${target.store.description}; ${live.description}. ` +
                'Stop the studio (a clean stop releases the lease) and run restore again, or pass --force if that studio is gone.', ExitCode.refused);
        }
        if (live) {
            out(`warning: ${live.description}; restoring anyway (--force)`);
        }
        fs.mkdirSync(target.dataDir, { recursive: true });
        // The writer claims are the proof --force cannot override: a process holding one is
        // writing that database right now, and replacing the file under it would lose its writes.
        const claims = new DatabaseCluster({ dataDir: target.dataDir, writerRole: 'the operator CLI (restore)' });
        const refusals = claims.claimWriters();
        try {
            if (refusals.length > 0) {
                throw new CliError(`Refusing to restore into ${target.dataDir}: ${refusals.map(r => r.message).join(' ')}`, ExitCode.refused);
            }
            if (values.db !== undefined) {
                await restoreEachNewest(target);
                return ExitCode.ok;
            }
            try {
                await restorePoint(target, values, at);
            } catch (error) {
                if (!(error instanceof NoRestorePointsError) || at) {
                    throw error instanceof RestoreError ? new CliError(error.message, ExitCode.failed) : error;
                }
                out(`warning: ${error.message} Falling back: each database is restored to its own newest chain, so they may stand at different instants, and the workspace files are left to file sync.`);
                await restoreEachNewest(target);
            }
        } finally {
            await claims.close();
        }
        return ExitCode.ok;
    },
};

function parseTimestamp(raw: string | undefined): Date | undefined {
    if (raw === undefined) {
        return undefined;
    }
    const at = new Date(raw);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(at.getTime())) {
        throw new CliError(`--timestamp "${raw}" is not an ISO date and time; give one like 2025-06-01T12:00:00Z.`);
    }
    return at;
}

/** The workspace folder whose files are restored, when one is given; undefined (said so) when not. */
function workspaceFolder(values: CliValues, dataDir: string): string | undefined {
    try {
        return resolveWorkspaceConfig({ workspaceDir: values.workspace as string | undefined, dataDir, workspaceOption: '--workspace' }).workspaceDir;
    } catch (error) {
        if (values.workspace === undefined && !process.env.STUDIO_WORKSPACE && error instanceof ConfigError) {
            return undefined;
        }
        throw new CliError((error as Error).message);
    }
}

function progressPrinter(db: string): (p: RestoreProgress) => void {
    let lastLine = 0;
    return p => {
        const now = Date.now();
        if (p.phase === 'segments' && p.segments < p.totalSegments && now - lastLine < 250) {
            return;
        }
        lastLine = now;
        out(`${db}: ${p.phase}${p.phase === 'listing' ? '' : `, ${p.segments}/${p.totalSegments} segments, ${formatBytes(p.bytes)}`}`);
    };
}

function restoredLine(result: RestoreResult, dbPath: string): string {
    return `${result.db}: restored generation ${result.generation}, ${result.segments} segments, ${formatBytes(result.bytes)} read, ${result.dbSizePages} pages -> ${dbPath}` +
        (result.truncatedBecause ? ` (the chain stops early: ${result.truncatedBecause})` : '');
}

/** Every database and the files to one restore point, then that instant becomes the live history. */
async function restorePoint(target: ReplicaTarget, values: CliValues, at: Date | undefined): Promise<void> {
    const workspaceDir = workspaceFolder(values, target.dataDir);
    const printers = new Map<string, (p: RestoreProgress) => void>(target.databases.map(db => [db.name, progressPrinter(db.name)]));
    const result: PointRestoreResult = await restoreToRestorePoint({
        store: target.store, databases: target.databases, at,
        checkFiles: workspaceDir ? manifest => checkManifest(target.store, manifest).then(() => undefined, error => {
            if (error instanceof FilesRestoreError) {
                return error.message;
            }
            throw error;
        }) : undefined,
        onProgress: p => printers.get(p.db)?.(p),
    });
    for (const skipped of result.skipped) {
        out(`warning: skipped restore point ${skipped.at} (${skipped.key}): ${skipped.reason}`);
    }
    out(`restore point ${result.point.at.toISOString()} (${result.point.key})`);
    for (const db of result.databases) {
        const dbPath = target.databases.find(d => d.name === db.db)!.path;
        if (db.movedAside) {
            out(`${db.db}: moved the existing database aside to ${db.movedAside}`);
        }
        out(restoredLine(db, dbPath));
    }
    const files = result.point.files;
    if (files && workspaceDir) {
        const restored = await restoreFiles({ store: target.store, workspaceDir, dataDir: target.dataDir }, await checkManifest(target.store, files.manifest));
        out(`files: ${files.entries} path(s) as at the point -> ${workspaceDir} (${restored.written} written, ${restored.removed} removed, ${restored.indexRewound} index entries set back)`);
    } else if (files) {
        out('files: not restored (no workspace folder: pass --workspace <dir> or set STUDIO_WORKSPACE)');
    } else {
        out('files: the restore point has no files manifest (file sync was off); the workspace files are left as they are');
    }
    await makeLive(target, files);
}

/**
 * The restored instant becomes the replica's live history: each database starts a new generation
 * (a snapshot of the restored file), and a restore point names them and the files. Without this
 * the next start would see the replica ahead of the restored files and restore its newer chain.
 */
async function makeLive(target: ReplicaTarget, files: PointRestoreResult['point']['files']): Promise<void> {
    const manager = new ReplicationManager({ store: target.store, databases: target.databases, syncIntervalMs: 60_000, restorePointsAwaitFiles: files !== undefined });
    if (files) {
        manager.attachRestorePointFiles(async () => files);
    }
    try {
        await manager.start();
    } catch (error) {
        await manager.stop().catch(() => undefined);
        if (error instanceof FencedError) {
            throw new CliError(`The databases are restored, but the replica could not be made to continue from them: ${error.message} ` +
                'Stop that studio, then run `coditect-workspace snapshot` so the replica continues from the restored files.', ExitCode.failed);
        }
        throw error;
    }
    try {
        await manager.snapshot();
    } finally {
        await manager.stop();
        await manager.sealLocalState();
    }
    out(`the restored instant is now the replica's newest restore point (${await manager.writeRestorePoint()})`);
}

/** Each database of the target to its own newest chain (no restore points); the caller holds their writer claims. */
async function restoreEachNewest(target: ReplicaTarget): Promise<void> {
    const failures: string[] = [];
    for (const db of target.databases) {
        try {
            const result = await restoreDatabase({ store: target.store, db: db.name, targetPath: incomingPath(db.path), onProgress: progressPrinter(db.name) });
            const aside = swapInIncoming(db.path);
            if (aside) {
                out(`${db.name}: moved the existing database aside to ${aside}`);
            }
            await syncDirectory(target.dataDir);
            out(restoredLine(result, db.path));
        } catch (error) {
            if (!(error instanceof RestoreError)) {
                throw error;
            }
            failures.push(db.name);
            process.stderr.write(`${db.name}: not restored: ${error.message}\n`);
        }
    }
    if (failures.length) {
        throw new CliError(`Restore failed for ${failures.join(', ')} (see above); the other databases were restored.`, ExitCode.failed);
    }
}
