import * as path from 'node:path';
import { resolveDataDir } from '../config/workspace-config';
import { DatabaseCluster } from '../database/database-cluster';
import { describeWriterHolder, WriterClaimedError } from '../database/database-errors';
import { databaseFileName, DatabaseName } from '../database/database-names';
import type { SqliteDatabase } from '../database/sqlite-database';
import type { ObjectStore } from '../object-store/object-store';
import { FencedError } from '../replication/lease';
import { ReplicationCheckpointOwner } from '../replication/replication-checkpoint-owner';
import { openReplicaStore, resolveReplicationConfig } from '../replication/replication-config';
import { ReplicationManager } from '../replication/replication-manager';
import { CliError, CliValues, ExitCode } from './cli-command';
import { liveLeaseHolder } from './studio-running';

/** Options of commands that open one database of the data directory. */
export const dataDirectoryOptions = {
    'data-dir': { type: 'string' },
    'replica': { type: 'string' },
    'help': { type: 'boolean', short: 'h', default: false },
} as const;

export const dataDirectoryHelp = `  --data-dir <dir>    The data directory (default: $STUDIO_DATA_DIR, else ~/.coditect-studio/data)
  --replica <url>     The replica: file:///abs/dir, gs://bucket/prefix or off
                      (default: $STUDIO_REPLICA_URL, else the directory <data-dir>/../replica)
  -h, --help          Show this help`;

export interface OneDatabaseAccess {
    readonly db: SqliteDatabase;
    readonly dataDir: string;
    /** The replica store, when replication is on. */
    readonly store: ObjectStore | undefined;
    /** A studio is running on this data directory (its replica lease is live); then `db` is read-only. */
    readonly studioRunning: boolean;
}

/** What a refused write says, given the data directory and who holds it (a clause without a final period): why, and what to do instead. */
export type WriteRefusal = (dataDir: string, why: string) => string;

const clause = (sentence: string) => sentence.trim().replace(/\.$/, '');

/** Opens only the databases named: the command touches no other (their files, and their replica state, stay as they are). */
class SomeDatabasesCluster extends DatabaseCluster {
    constructor(protected readonly only: readonly DatabaseName[], options: ConstructorParameters<typeof DatabaseCluster>[0]) {
        super(options);
    }

    override open(): this {
        for (const name of this.only) {
            this.openOne(name);
        }
        return this;
    }
}

/**
 * Runs `work` on one database of the data directory, the way the studio would open it:
 *
 * - With replication on and no studio running: the database is restored first if missing or
 *   damaged, its changes are shipped to the replica, and its place in the replica is recorded at
 *   the end, so the next studio start keeps it (local-vs-replica.ts) rather than restoring over it.
 * - With a studio running (its replica lease is live, or it holds the database's writer claim):
 *   `read` works beside it, read-only; `write` is refused (exit 3) with `refusal`, because the
 *   studio is the database's one writer.
 * - With replication off: the file is opened directly, under the writer claim.
 */
export async function withOneDatabase<T>(
    values: CliValues, name: DatabaseName, mode: 'read' | 'write', refusal: WriteRefusal, work: (access: OneDatabaseAccess) => Promise<T>,
): Promise<T> {
    return withDatabases(values, [name], mode, refusal, access => work({ ...access, db: access.cluster.get(name) }));
}

export interface DatabasesAccess extends Omit<OneDatabaseAccess, 'db'> {
    readonly cluster: DatabaseCluster;
}

/** `withOneDatabase` for several databases at once (a migration writes sessions, metrics and workspace). */
export async function withDatabases<T>(
    values: CliValues, names: readonly DatabaseName[], mode: 'read' | 'write', refusal: WriteRefusal, work: (access: DatabasesAccess) => Promise<T>,
): Promise<T> {
    const dataDir = resolveDataDir(values['data-dir'] as string | undefined);
    let store: ObjectStore | undefined;
    try {
        const config = resolveReplicationConfig(dataDir, { ...process.env, ...(values.replica !== undefined ? { STUDIO_REPLICA_URL: values.replica as string } : {}) });
        store = openReplicaStore(config);
    } catch (error) {
        throw new CliError((error as Error).message);
    }
    const live = store ? await liveLeaseHolder(store) : undefined;
    if (live && mode === 'write') {
        throw new CliError(refusal(dataDir, clause(live.description)), ExitCode.refused);
    }
    const manager = store && !live
        ? new ReplicationManager({ store, syncIntervalMs: 60_000, databases: names.map(name => ({ name, path: path.join(dataDir, databaseFileName(name)) })) })
        : undefined;
    await manager?.restoreIfNeeded();
    // Reading beside a running studio falls back to a read-only open: the studio holds the writer claim.
    const open = (access: 'read' | 'write') => new SomeDatabasesCluster(names, { dataDir, poolSize: 3, access, writerRole: 'the operator CLI' }).open();
    let cluster = open('write');
    let readOnly = false;
    try {
        try {
            names.forEach(name => cluster.get(name));
        } catch (error) {
            if (!(error instanceof WriterClaimedError) || mode === 'write' || manager) {
                throw error;
            }
            await cluster.close();
            cluster = open('read');
            names.forEach(name => cluster.get(name));
            readOnly = true;
        }
    } catch (error) {
        await cluster.close();
        const which = names.length === 1 ? `the ${names[0]} database` : `the ${names.join(', ')} databases`;
        if (error instanceof WriterClaimedError && mode === 'write') {
            throw new CliError(refusal(dataDir, `${which} ${names.length === 1 ? 'is' : 'are'} written by ${describeWriterHolder(error.holder)}`), ExitCode.refused);
        }
        throw new CliError(`${which[0].toUpperCase()}${which.slice(1)} in ${dataDir} cannot be opened: ${(error as Error).message}`, error instanceof WriterClaimedError ? ExitCode.refused : ExitCode.failed);
    }
    if (manager) {
        cluster.handOverCheckpointing(new ReplicationCheckpointOwner());
        try {
            await manager.start();
        } catch (error) {
            await manager.stop().catch(() => undefined);
            await cluster.close();
            throw error instanceof FencedError
                ? new CliError(refusal(dataDir, clause(error.message)), ExitCode.refused)
                : error;
        }
    }
    try {
        return await work({ cluster, dataDir, store, studioRunning: live !== undefined || readOnly });
    } finally {
        await manager?.stop().catch(() => undefined);
        await cluster.close();
        await manager?.sealLocalState();
    }
}
