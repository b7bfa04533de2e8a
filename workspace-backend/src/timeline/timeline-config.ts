import * as crypto from 'node:crypto';
import * as path from 'node:path';

export interface TimelineConfig {
    /** Local folder of the JSONL archive. */
    readonly archiveDir: string;
    /** An archive part is closed and the next started at this size. */
    readonly partBytes: number;
    /** How often changed parts are uploaded to the replica store. */
    readonly uploadIntervalMs: number;
    /** How long events gather before they are written in one transaction. */
    readonly flushDelayMs: number;
}

/**
 * The timeline's settings from the environment:
 * - STUDIO_TIMELINE_PART_BYTES: archive part size before rotation (default 8 MiB, at least 4096).
 * - STUDIO_TIMELINE_UPLOAD_MS: how often changed parts go to the replica store (default 10 s).
 * - STUDIO_TIMELINE_FLUSH_MS: how long events gather before one commit (default 25 ms).
 * The archive lives in `<dataDir>/timeline-archive` and, when replication is on, in the replica
 * store under `timeline/`.
 */
export function resolveTimelineConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): TimelineConfig {
    return {
        archiveDir: path.join(dataDir, 'timeline-archive'),
        partBytes: integer(env, 'STUDIO_TIMELINE_PART_BYTES', 8 * 1024 * 1024, 4096),
        uploadIntervalMs: integer(env, 'STUDIO_TIMELINE_UPLOAD_MS', 10_000, 100),
        flushDelayMs: integer(env, 'STUDIO_TIMELINE_FLUSH_MS', 25, 0),
    };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
    const raw = env[name]?.trim();
    if (!raw) {
        return fallback;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
        throw new Error(`${name}="${raw}" must be a whole number of at least ${min}.`);
    }
    return value;
}

/** Session ids sort by creation time: `run-20250902T140312Z-3fa9c1`, `import-…`. */
export function newSessionId(kind: 'run' | 'import', now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    return `${kind}-${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}
