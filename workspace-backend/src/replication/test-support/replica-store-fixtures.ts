import { FaultProxy, GcsTestServer } from '@coditect/gcs-test-server';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ObjectStore } from '../../object-store/object-store';
import { openTestReplicaStore } from './test-replica-store';

/**
 * One replica store for a spec, of either kind, reachable from the spec and from child
 * processes alike: the children get `env` (STUDIO_REPLICA_URL, STUDIO_GCS_API_ENDPOINT) and
 * open it themselves; the spec uses `store`, opened from the same variables.
 */
export interface ReplicaStoreFixture {
    readonly kind: ReplicaStoreKind;
    readonly env: Record<string, string>;
    readonly store: ObjectStore;
    /** GCS only: the test server, for looking at what was stored. */
    readonly server?: GcsTestServer;
    /** GCS with `faults`: the fault proxy every client (spec and children) goes through. */
    readonly proxy?: FaultProxy;
    dispose(): Promise<void>;
}

export type ReplicaStoreKind = 'directory' | 'gcs';

export const GCS_BUCKET = 'replica';
export const GCS_PREFIX = 'ws/1';

/** A directory under `dir`, or the GCS test server through the real @google-cloud/storage client. */
export async function makeReplicaStore(kind: ReplicaStoreKind, dir: string, options: { faults?: boolean } = {}): Promise<ReplicaStoreFixture> {
    if (kind === 'directory') {
        const env = { STUDIO_REPLICA_URL: pathToFileURL(path.join(dir, 'replica')).href };
        return { kind, env, store: openTestReplicaStore(env), dispose: async () => undefined };
    }
    const server = new GcsTestServer();
    const { url } = await server.start();
    const proxy = options.faults ? new FaultProxy() : undefined;
    const env = { STUDIO_REPLICA_URL: `gs://${GCS_BUCKET}/${GCS_PREFIX}`, STUDIO_GCS_API_ENDPOINT: proxy ? await proxy.start(url) : url };
    return {
        kind, env, server, proxy,
        store: openTestReplicaStore(env),
        dispose: async () => {
            await proxy?.stop();
            await server.stop();
        },
    };
}

/** Every kind, for specs that run one case list against each store. */
export const REPLICA_STORE_KINDS: readonly ReplicaStoreKind[] = ['directory', 'gcs'];
