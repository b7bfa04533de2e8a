import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { envInteger } from '../config/env-integer';

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
        partBytes: envInteger(env, 'STUDIO_TIMELINE_PART_BYTES', 8 * 1024 * 1024, 4096),
        uploadIntervalMs: envInteger(env, 'STUDIO_TIMELINE_UPLOAD_MS', 10_000, 100),
        flushDelayMs: envInteger(env, 'STUDIO_TIMELINE_FLUSH_MS', 25, 0),
    };
}


/** Session ids sort by creation time: `run-20250902T140312Z-3fa9c1`, `import-…`. */
export function newSessionId(kind: 'run' | 'import', now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    return `${kind}-${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}
