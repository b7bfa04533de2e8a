import * as fs from 'node:fs';
import { snapshotKey } from '../replication/generation';
import { FencedError } from '../replication/lease';
import { ReplicationManager } from '../replication/replication-manager';
import { CliCommand, CliError, ExitCode, formatBytes, out } from './cli-command';
import { replicaOptions, replicaOptionsHelp, resolveReplicaTarget } from './replica-target';

export const snapshotCommand: CliCommand = {
    name: 'snapshot',
    summary: 'Write a fresh snapshot (a new generation) of every database, or of --db, to the replica.',
    help: `Usage: coditect-workspace snapshot [options]

Takes the replica lease, writes a full snapshot of each local database to the replica as a new
generation, applies retention (the newest 3 generations are kept), and prints what was written.
Refused (exit 3) while a studio holds the replica lease: a running studio snapshots its own
databases; stop it first. Exit 1 when a database has no local file or an upload fails.

Options:
${replicaOptionsHelp}`,
    options: replicaOptions,
    async run(values) {
        const target = resolveReplicaTarget(values);
        const explicit = values.db !== undefined;
        const present = target.databases.filter(db => fs.existsSync(db.path));
        for (const db of target.databases.filter(d => !present.includes(d))) {
            if (explicit) {
                throw new CliError(`No local database ${db.name} at ${db.path}: nothing to snapshot. Check --data-dir / STUDIO_DATA_DIR.`, ExitCode.failed);
            }
            out(`${db.name}: skipped (no local file at ${db.path})`);
        }
        if (present.length === 0) {
            throw new CliError(`No databases in ${target.dataDir}: nothing to snapshot. Check --data-dir / STUDIO_DATA_DIR.`, ExitCode.failed);
        }
        const manager = new ReplicationManager({ store: target.store, databases: present, syncIntervalMs: 60_000 });
        try {
            await manager.start();
        } catch (error) {
            await manager.stop().catch(() => undefined);
            if (error instanceof FencedError) {
                throw new CliError(`Refusing to snapshot: ${error.message} A running studio snapshots its own databases; stop it to snapshot from the command line.`, ExitCode.refused);
            }
            throw error;
        }
        try {
            for (const db of present) {
                const generation = (await manager.snapshot([db.name]))[db.name];
                const key = snapshotKey(db.name, generation);
                const info = await target.store.head(key);
                out(`${db.name}: generation ${generation}, snapshot ${formatBytes(info?.size ?? 0)} -> ${target.store.description} ${key}`);
            }
        } finally {
            await manager.stop();
            await manager.sealLocalState();
        }
        return ExitCode.ok;
    },
};
