import { fileURLToPath } from 'node:url';
import type { ObjectStore } from '../object-store/object-store';
import { openReplicaStore, ReplicationConfig, resolveReplicationConfig } from '../replication/replication-config';

/** The replica store of a workspace core, with its settings, shared by every part that writes to it. */
export interface Replica {
    readonly config: ReplicationConfig;
    readonly store: ObjectStore;
    /** The replica's folder when it is one on this machine (the default, `<dataDir>/../replica`). */
    readonly folder: string | undefined;
}

/**
 * The replica (STUDIO_REPLICA_URL and the replication settings), resolved and opened once per
 * core: replication, file sync and the timeline's archive use the same store, and the agents'
 * sandbox and the workspace watcher the same folder. The function returns undefined when
 * replication is off, and throws what is wrong with the settings, the same error at every call.
 */
export function replicaResource(dataDir: string, env: NodeJS.ProcessEnv = process.env): () => Replica | undefined {
    let resolved: { readonly replica?: Replica; readonly error?: unknown } | undefined;
    return () => {
        resolved ??= resolve(dataDir, env);
        if (resolved.error !== undefined) {
            throw resolved.error;
        }
        return resolved.replica;
    };
}

function resolve(dataDir: string, env: NodeJS.ProcessEnv): { readonly replica?: Replica; readonly error?: unknown } {
    try {
        const config = resolveReplicationConfig(dataDir, env);
        const store = openReplicaStore(config);
        return store ? { replica: { config, store, folder: config.url?.startsWith('file://') ? fileURLToPath(config.url) : undefined } } : {};
    } catch (error) {
        return { error };
    }
}

/** The replica's folder, or undefined when it is off, remote, or its settings are wrong (the parts that use it say so). */
export function replicaFolderOf(replica: () => Replica | undefined): string | undefined {
    try {
        return replica()?.folder;
    } catch {
        return undefined;
    }
}
