import * as fs from 'node:fs';
import * as path from 'node:path';
import { syncDirectory } from '../object-store/directory-object-store';
import { listKeptCopies, moveDatabaseAside } from '../replication/kept-copies';
import { FencedError } from '../replication/lease';
import { localStatePath, readLocalState } from '../replication/local-state';
import { ReplicationManager } from '../replication/replication-manager';
import { RestoreError, verifyIntegrity } from '../replication/restore';
import { CliCommand, CliError, CliValues, ExitCode, formatBytes, out } from './cli-command';
import { ReplicaTarget, replicaOptions, replicaOptionsHelp, resolveReplicaTarget } from './replica-target';
import { liveLeaseHolder } from './studio-running';

export const divergedCommand: CliCommand = {
    name: 'diverged',
    summary: 'List the local copies kept beside the databases (diverged, replaced), or make one live (--promote).',
    help: `Usage: coditect-workspace diverged [options]
       coditect-workspace diverged --promote <file> [options]

Lists the copies of each database that were set aside instead of deleted, oldest first:
  <db>.diverged-<time>        at a start, the local file held commits the replica lacked while the
                              replica had moved on too; the replica's history went live and the
                              studio's health reports the copy until it is reconciled
  <db>.replaced-<time>        at a start, the replica replaced a damaged or older local file, or one
                              whose place in the replica's history was unknown
  <db>.before-restore-<time>  the live file that \`restore\` replaced
  <db>.before-promote-<time>  the live file that \`diverged --promote\` replaced

To reconcile a diverged copy, compare it with the live database (for example with sqlite3), then
either keep the live one and delete the copy (with its -wal/-shm/-replica.json), or make the
copy live with --promote: the live file is moved aside as <db>.before-promote-<time>, the copy
takes its place, and a snapshot of it is written to the replica as a new generation, so the
next start keeps it. Rows only the other side has are not merged: copy them over by hand first.

Refused (exit 3) while a studio holds the replica lease: stop it first, or pass --force if that
studio is gone. Exit 1 when the copy is damaged or the snapshot cannot be written.

Options:
  --promote <file>    Make this kept copy the live database
  --force             Promote even though a studio seems to hold the replica lease
${replicaOptionsHelp}`,
    options: { ...replicaOptions, promote: { type: 'string' }, force: { type: 'boolean', default: false } },
    async run(values) {
        const target = resolveReplicaTarget(values);
        if (values.promote !== undefined) {
            return promote(target, path.resolve(values.promote as string), values);
        }
        let listed = 0;
        for (const db of target.databases) {
            for (const copy of listKeptCopies(db.path)) {
                listed++;
                const state = readLocalState(copy.file);
                const place = state ? `; recorded at generation ${state.generation} segment ${state.sequence}${state.unshippedSince ? `, with commits the replica lacked since ${state.unshippedSince}` : ''}` : '';
                out(`${db.name}: ${copy.kind} ${copy.keptAt} ${copy.file} (${formatBytes(fs.statSync(copy.file).size)}${place})`);
            }
        }
        if (listed === 0) {
            out(`No kept copies in ${target.dataDir}.`);
        }
        return ExitCode.ok;
    },
};

async function promote(target: ReplicaTarget, file: string, values: CliValues): Promise<number> {
    const db = target.databases.find(d => listKeptCopies(d.path).some(c => c.file === file));
    if (!db) {
        throw new CliError(`${file} is not a copy kept beside a database in ${target.dataDir}; \`coditect-workspace diverged\` lists them.`);
    }
    const live = await liveLeaseHolder(target.store);
    if (live && !values.force) {
        throw new CliError(`Refusing to promote ${file}: a studio appears to be running against ${target.store.description}; ${live.description}. ` +
            'Stop the studio (a clean stop releases the lease) and run this again, or pass --force if that studio is gone.', ExitCode.refused);
    }
    try {
        verifyIntegrity(file, { readonly: true });
    } catch (error) {
        throw new CliError(`Refusing to promote ${file}: ${(error as RestoreError).message}`, ExitCode.failed);
    }
    const aside = fs.existsSync(db.path) ? moveDatabaseAside(db.path, 'before-promote') : undefined;
    for (const suffix of ['-wal', '-shm']) {
        if (fs.existsSync(file + suffix)) {
            fs.renameSync(file + suffix, db.path + suffix);
        }
    }
    // Its record describes where it stood before; the new generation below records where it stands now.
    fs.rmSync(localStatePath(file), { force: true });
    fs.renameSync(file, db.path);
    await syncDirectory(path.dirname(db.path));
    out(`${db.name}: ${file} is the live database now${aside ? `; the previous one is kept at ${aside}` : ''}`);
    const manager = new ReplicationManager({ store: target.store, databases: [db], syncIntervalMs: 60_000 });
    const notInReplica = `${db.path} is live locally but not in the replica yet; run \`coditect-workspace snapshot --db ${db.name}\` before starting the studio, ` +
        'or the next start finds it without a place in the replica and sets it aside again.';
    try {
        await manager.start();
    } catch (error) {
        await manager.stop().catch(() => undefined);
        throw error instanceof FencedError
            ? new CliError(`${error.message} ${notInReplica}`, ExitCode.refused)
            : new CliError(`Could not take the replica lease: ${(error as Error).message}. ${notInReplica}`, ExitCode.failed);
    }
    try {
        const generation = (await manager.snapshot([db.name]))[db.name];
        out(`${db.name}: wrote generation ${generation} (a snapshot of the promoted file) to ${target.store.description}`);
    } catch (error) {
        throw new CliError(`The snapshot failed: ${(error as Error).message}. ${notInReplica}`, ExitCode.failed);
    } finally {
        await manager.stop().catch(() => undefined);
        await manager.sealLocalState();
    }
    return ExitCode.ok;
}
