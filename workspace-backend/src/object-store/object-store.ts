import type { Readable } from 'node:stream';

/**
 * Where replicas live: a flat namespace of immutable-ish objects addressed by `/`-separated keys.
 *
 * Contract (every implementation, checked by the shared conformance spec):
 * - `put` is atomic: a reader sees the old object, the new one, or nothing; never a partial one.
 * - `put(..., { ifAbsent: true })` creates only. If the object already exists with the same
 *   bytes (same CRC32C and size) the put counts as done: that is what a retried upload whose
 *   first attempt was stored looks like. Different bytes: `PreconditionFailedError`.
 * - `put(..., { ifGenerationMatch })` is compare-and-swap on the object's generation (an opaque
 *   string from `head`/`put`); it is what the lease uses for fencing.
 * - `get` returns exactly the stored bytes or throws (`ObjectNotFoundError` when absent).
 * - `list(prefix)` yields every key with that prefix, in ascending key order.
 * - `delete` of a missing object is not an error.
 * - `putStream` is `put` for bytes that do not fit in memory (workspace files of any size): the
 *   same atomicity and preconditions, and with `expectedCrc32c` the object is published only if
 *   the streamed bytes have that CRC32C; otherwise nothing changes in the store and the put fails
 *   with `ObjectContentMismatchError` (the source changed while it was read). A create-only
 *   stream put recognises an existing object with the same bytes by `expectedCrc32c` (a store
 *   may refuse before reading the stream, so without it that case may be PreconditionFailed).
 */
export interface ObjectInfo {
    key: string;
    size: number;
    /** CRC32C of the bytes, base64 of the big-endian value (the form GCS uses). */
    crc32c: string;
    /** Opaque; changes on every write of this key. */
    generation: string;
    updated?: Date;
}

export interface PutOptions {
    ifAbsent?: boolean;
    ifGenerationMatch?: string;
    contentType?: string;
}

export interface StreamPutOptions extends PutOptions {
    /** CRC32C (GCS form) the streamed bytes must have for the object to be published. */
    expectedCrc32c?: string;
}

export interface ObjectStore {
    /** Where the store points, for status output; never contains credentials. */
    readonly description: string;
    put(key: string, data: Buffer, options?: PutOptions): Promise<ObjectInfo>;
    /** Consumes `source` to its end; never holds the whole object in memory. */
    putStream(key: string, source: Readable, options?: StreamPutOptions): Promise<ObjectInfo>;
    get(key: string): Promise<Buffer>;
    getStream(key: string): Promise<Readable>;
    head(key: string): Promise<ObjectInfo | undefined>;
    list(prefix: string): AsyncIterable<ObjectInfo>;
    delete(key: string, options?: { ifGenerationMatch?: string }): Promise<void>;
    close?(): Promise<void>;
}

export class ObjectStoreError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = new.target.name;
    }
}

export class ObjectNotFoundError extends ObjectStoreError { }

/** A streamed put read other bytes than `expectedCrc32c` describes; nothing was published. */
export class ObjectContentMismatchError extends ObjectStoreError { }

/** A create-only or compare-and-swap put found something else in place. */
export class PreconditionFailedError extends ObjectStoreError {
    constructor(message: string, readonly current?: ObjectInfo) {
        super(message);
    }
}

/** Keys are relative, `/`-separated, and never climb out of the store. */
export function checkKey(key: string): string {
    if (!key || key.startsWith('/') || key.endsWith('/') || key.split('/').some(p => p === '' || p === '.' || p === '..') || key.includes('\\') || key.includes('\0')) {
        throw new ObjectStoreError(`Invalid object key "${key}": use relative, /-separated names without empty, "." or ".." parts.`);
    }
    return key;
}
