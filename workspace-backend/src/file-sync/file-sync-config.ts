/** File sync settings, from the environment (README.md, "Configuration"). */
export interface FileSyncConfig {
    /** False when STUDIO_FILE_SYNC=off, or when there is no replica store to sync to. */
    enabled: boolean;
    /** How long a path must be quiet before it is uploaded ("settled"). */
    debounceMs: number;
}

/**
 * - STUDIO_FILE_SYNC: `on` (default when a replica store is configured) or `off`.
 * - STUDIO_FILE_SYNC_DEBOUNCE_MS: quiet time before a changed file is uploaded (default 500).
 * The store is replication's (STUDIO_REPLICA_URL), under the `files/` prefix.
 */
export function resolveFileSyncConfig(hasStore: boolean, env: NodeJS.ProcessEnv = process.env): FileSyncConfig {
    const raw = (env.STUDIO_FILE_SYNC ?? '').trim().toLowerCase();
    if (raw !== '' && !['on', 'off', 'true', 'false', '1', '0'].includes(raw)) {
        throw new Error(`STUDIO_FILE_SYNC="${env.STUDIO_FILE_SYNC}" is not understood; use on or off.`);
    }
    const debounceMs = env.STUDIO_FILE_SYNC_DEBOUNCE_MS ? Number(env.STUDIO_FILE_SYNC_DEBOUNCE_MS) : 500;
    if (!Number.isFinite(debounceMs) || debounceMs < 0) {
        throw new Error(`STUDIO_FILE_SYNC_DEBOUNCE_MS="${env.STUDIO_FILE_SYNC_DEBOUNCE_MS}" is not a number of milliseconds >= 0.`);
    }
    const off = raw === 'off' || raw === 'false' || raw === '0';
    return { enabled: hasStore && !off, debounceMs };
}
