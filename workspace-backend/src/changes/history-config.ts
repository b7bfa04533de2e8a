import { envInteger } from '../config/env-integer';

export interface HistoryConfig {
    /** How long the workspace journal keeps every state: older ones collapse into the state at that moment. */
    readonly retentionMs: number;
    /** Contents up to this size are kept (restorable, diffable); larger files are known by hash only. */
    readonly maxKeptBytes: number;
}

const Day = 24 * 60 * 60_000;

/**
 * The workspace history's settings from the environment:
 * - STUDIO_HISTORY_DAYS: how many days of every file state are kept for checkpoints and line
 *   history (default 30, at least 1); checkpoints older than that can no longer be restored.
 * - STUDIO_HISTORY_MAX_FILE_BYTES: the largest file whose contents are kept (default 1 MiB).
 * Change sets are never pruned: what a task changed stays reviewable.
 */
export function resolveHistoryConfig(env: NodeJS.ProcessEnv = process.env): HistoryConfig {
    return {
        retentionMs: envInteger(env, 'STUDIO_HISTORY_DAYS', 30, 1) * Day,
        maxKeptBytes: envInteger(env, 'STUDIO_HISTORY_MAX_FILE_BYTES', 1024 * 1024, 0),
    };
}
