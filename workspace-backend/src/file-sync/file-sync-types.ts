import type { ObjectStore } from '../object-store/object-store';

export interface FileSyncOptions {
    store: ObjectStore;
    workspaceDir: string;
    /** The core's data directory: holds `file-sync/state.json`; never synced. */
    dataDir: string;
    /** Quiet time before a changed path is uploaded (default 500 ms). */
    debounceMs?: number;
    /** Parallel transfers (default 8). */
    concurrency?: number;
    /** Watch the workspace after start (default true; off for one-shot syncs). */
    watch?: boolean;
    /** First retry delay after a failed transfer; doubles up to 30 s (default 1000 ms). */
    retryBaseMs?: number;
    /** Absolute folders inside the workspace never synced (a directory replica, say). */
    alsoIgnore?: readonly string[];
    /** The clock that stamps conflict copies' names (default: the system clock; specs fix it). */
    now?: () => Date;
}

export type FileSyncEvent =
    | { type: 'progress'; phase: 'restore' | 'reconcile'; done: number; total: number }
    | { type: 'conflict'; path: string; remoteCopy: string; message: string }
    | { type: 'uploaded'; path: string; deleted: boolean }
    | { type: 'downloaded'; path: string; deleted: boolean }
    | { type: 'error'; path?: string; message: string };

/** A path whose local change the store does not hold yet. */
export interface PendingPath {
    path: string;
    /** When it first became pending (ISO). */
    since: string;
    attempts: number;
    /** Why the last attempt failed, if one did. */
    error?: string;
}

export interface FileSyncStatus {
    phase: 'idle' | 'restoring' | 'reconciling' | 'watching' | 'stopped';
    pending: number;
    lastSyncAt?: string;
    lastError?: string;
    uploaded: number;
    downloaded: number;
    conflicts: number;
    /** Symlinks not synced because they point outside the workspace. */
    outsideLinks: number;
    store: string;
}
