import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatabaseCluster } from '../database/database-cluster';
import { syncDirectory } from '../object-store/directory-object-store';
import { localStatePath } from '../replication/local-state';
import { moveDatabaseAside } from '../replication/kept-copies';
import { RestoreError, RestoreProgress, restoreDatabase } from '../replication/restore';
import { CliCommand, CliError, ExitCode, formatBytes, out } from './cli-command';
import { assertReplicaExists, replicaOptions, replicaOptionsHelp, resolveReplicaTarget } from './replica-target';
import { liveLeaseHolder } from './studio-running';

export const restoreCommand: CliCommand = {
    name: 'restore',
    summary: 'Rebuild every database (or --db) in the data directory from the replica\'s newest valid chain.',
    help: `Usage: coditect-workspace restore [options]

Rebuilds each database from the replica (the newest generation with a valid snapshot plus its
segments), checks it with integrity_check, and puts it in the data directory. An existing local
file is moved aside (<name>.db.before-restore-<time>, with its -wal), never deleted.

Refused (exit 3) while the studio appears to be running against this replica (its replication
lease was renewed recently): replacing files under a running studio loses its writes. Stop the
studio first, or pass --force. Exit 1 when a database cannot be restored; exit 2 on bad input.

Options:
  --force             Restore even though a studio seems to hold the replica lease
${replicaOptionsHelp}`,
    options: { ...replicaOptions, force: { type: 'boolean', default: false } },
    async run(values) {
        const target = resolveReplicaTarget(values);
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
            await restoreEach(target);
        } finally {
            await claims.close();
        }
        return ExitCode.ok;
    },
};

/** Restores every database of the target beside its file, then swaps it in; the caller holds their writer claims. */
async function restoreEach(target: ReturnType<typeof resolveReplicaTarget>): Promise<void> {
    const failures: string[] = [];
    for (const db of target.databases) {
        const incoming = path.join(target.dataDir, `.${path.basename(db.path)}.incoming`);
        let lastLine = 0;
        const progress = (p: RestoreProgress) => {
            const now = Date.now();
            if (p.phase === 'segments' && p.segments < p.totalSegments && now - lastLine < 250) {
                return;
            }
            lastLine = now;
            out(`${db.name}: ${p.phase}${p.phase === 'listing' ? '' : `, ${p.segments}/${p.totalSegments} segments, ${formatBytes(p.bytes)}`}`);
        };
        try {
            const result = await restoreDatabase({ store: target.store, db: db.name, targetPath: incoming, onProgress: progress });
            if (fs.existsSync(db.path)) {
                out(`${db.name}: moved the existing database aside to ${moveDatabaseAside(db.path, 'before-restore')}`);
            }
            fs.renameSync(incoming, db.path);
            fs.renameSync(localStatePath(incoming), localStatePath(db.path));
            await syncDirectory(target.dataDir);
            out(`${db.name}: restored generation ${result.generation}, ${result.segments} segments, ${formatBytes(result.bytes)} read, ${result.dbSizePages} pages -> ${db.path}` +
                (result.truncatedBecause ? ` (the chain stops early: ${result.truncatedBecause})` : ''));
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
