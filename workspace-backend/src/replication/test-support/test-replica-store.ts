import * as os from 'node:os';
import { ObjectStore } from '../../object-store/object-store';
import { openObjectStore } from '../../object-store/object-store-url';
import { resolveReplicationConfig } from '../replication-config';

/**
 * The replica store a test process (the spec, or a writer child) opens from its environment the
 * way the studio does: STUDIO_REPLICA_URL and STUDIO_GCS_API_ENDPOINT through
 * resolveReplicationConfig. Only the GCS client's retry pacing differs: at most 1 s between
 * attempts (the client's floor), so a fault burst costs seconds rather than the production
 * back-off's minute. TEST_GCS_TIMEOUT_MS shortens the per-request timeout (slow-response runs).
 */
export function openTestReplicaStore(env: NodeJS.ProcessEnv = process.env): ObjectStore {
    const config = resolveReplicationConfig(os.tmpdir(), env);
    if (!config.url || !env.STUDIO_REPLICA_URL) {
        throw new Error('openTestReplicaStore needs STUDIO_REPLICA_URL (file:///... or gs://bucket/prefix).');
    }
    return openObjectStore(config.url, {
        apiEndpoint: config.apiEndpoint,
        retryOptions: { maxRetryDelay: 1 },
        timeoutMs: env.TEST_GCS_TIMEOUT_MS ? Number(env.TEST_GCS_TIMEOUT_MS) : undefined,
    });
}
