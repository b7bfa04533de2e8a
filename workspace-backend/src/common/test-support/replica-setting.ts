/**
 * Sets STUDIO_REPLICA_URL for a test's core (`off`, or a store's URL) and returns what puts the
 * setting back as it was, unset included: tests and benchmarks start cores in one process.
 */
export function setReplicaUrl(value: string): () => void {
    const saved = process.env.STUDIO_REPLICA_URL;
    process.env.STUDIO_REPLICA_URL = value;
    return () => {
        if (saved === undefined) {
            delete process.env.STUDIO_REPLICA_URL;
        } else {
            process.env.STUDIO_REPLICA_URL = saved;
        }
    };
}
