import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveDataDir } from '../config/workspace-config';
import { DatabaseName, DatabaseNames, databaseFileName } from '../database/database-names';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import type { ObjectStore } from '../object-store/object-store';
import { openReplicaStore, resolveReplicationConfig } from '../replication/replication-config';
import { CliError, CliValues, ExitCode } from './cli-command';

/** Options shared by the replica commands. */
export const replicaOptions = {
    'data-dir': { type: 'string' },
    'replica': { type: 'string' },
    'db': { type: 'string', multiple: true },
    'help': { type: 'boolean', short: 'h', default: false },
} as const;

export const replicaOptionsHelp = `  --data-dir <dir>    The data directory (default: $STUDIO_DATA_DIR, else ~/.coditect-studio/data)
  --replica <url>     The replica: file:///abs/dir or gs://bucket/prefix
                      (default: $STUDIO_REPLICA_URL, else the directory <data-dir>/../replica)
  --db <name>         Only this database (repeatable): ${DatabaseNames.join(', ')}
  -h, --help          Show this help

Environment:
  STUDIO_DATA_DIR          the data directory, when --data-dir is not given
  STUDIO_REPLICA_URL       the replica, when --replica is not given ("off" disables replication)
  STUDIO_GCS_API_ENDPOINT  a GCS emulator or test server for gs:// replicas (no credentials are sent to it)
`;

export interface ReplicaTarget {
    dataDir: string;
    store: ObjectStore;
    databases: { name: DatabaseName; path: string }[];
}

/** Resolves the data directory, the replica store and the databases a command works on. */
export function resolveReplicaTarget(values: CliValues, env: NodeJS.ProcessEnv = process.env): ReplicaTarget {
    const dataDir = resolveDataDir(values['data-dir'] as string | undefined, env);
    const requested = (values.db as string[] | undefined) ?? [];
    const unknown = requested.filter(name => !(DatabaseNames as readonly string[]).includes(name));
    if (unknown.length) {
        throw new CliError(`Unknown database ${unknown.map(n => `"${n}"`).join(', ')}; the databases are ${DatabaseNames.join(', ')}.`);
    }
    const names = requested.length ? DatabaseNames.filter(n => requested.includes(n)) : [...DatabaseNames];
    const config = resolveReplicationConfig(dataDir, { ...env, ...(values.replica !== undefined ? { STUDIO_REPLICA_URL: values.replica as string } : {}) });
    if (!config.url) {
        throw new CliError('Replication is off (STUDIO_REPLICA_URL=off), so there is no replica to work with; set STUDIO_REPLICA_URL or pass --replica <url>.');
    }
    let store: ObjectStore;
    try {
        store = openReplicaStore(config)!;
    } catch (error) {
        throw new CliError((error as Error).message);
    }
    return { dataDir, store, databases: names.map(name => ({ name, path: path.join(dataDir, databaseFileName(name)) })) };
}

/** A directory replica that does not exist is a wrong path far more often than an empty replica. */
export function assertReplicaExists(store: ObjectStore): void {
    if (store instanceof DirectoryObjectStore && !fs.existsSync(store.root)) {
        throw new CliError(`No replica at ${store.root} (the directory does not exist); check --replica / STUDIO_REPLICA_URL.`, ExitCode.failed);
    }
}
