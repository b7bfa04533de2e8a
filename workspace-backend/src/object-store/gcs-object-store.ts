import { Bucket, Storage, StorageOptions } from '@google-cloud/storage';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32cOf, Crc32cMeter } from './crc32c';
import {
    checkKey, ObjectContentMismatchError, ObjectInfo, ObjectNotFoundError, ObjectStore, ObjectStoreError, PreconditionFailedError, PutOptions, StreamPutOptions
} from './object-store';

export interface GcsObjectStoreOptions {
    bucket: string;
    /** Key prefix inside the bucket ("" or e.g. "workspaces/w1"); a trailing "/" is added. */
    prefix?: string;
    /** For emulators and the test server, e.g. http://127.0.0.1:4443. Credentials are not sent to a custom endpoint. */
    apiEndpoint?: string;
    projectId?: string;
    /** Per-request timeout (ms), so a hung upload (Litestream #1512) surfaces as an error. Default 30 s. */
    timeoutMs?: number;
    /** Passed to the client; tests shorten delays. */
    retryOptions?: StorageOptions['retryOptions'];
    /**
     * `put`s larger than this go as resumable uploads (default 8 MiB): one streamed request per
     * attempt, and a failed attempt resumes from the offset GCS confirms instead of resending a
     * 100 MB snapshot from the start. Smaller puts are single multipart requests, cheaper per call.
     */
    resumableThresholdBytes?: number;
}

/**
 * An object store in Google Cloud Storage through the official client. Credentials come from
 * the usual Google environment (GOOGLE_APPLICATION_CREDENTIALS, metadata server, gcloud ADC).
 *
 * Invariants:
 * - Create-only puts use `ifGenerationMatch: 0`; compare-and-swap uses the generation.
 * - Every upload declares its CRC32C, so GCS rejects bytes damaged in transit, and downloads
 *   are CRC32C-validated by the client.
 * - A 412 on a put is ambiguous when the client retried: the first attempt may have been
 *   stored and only its answer lost. We then compare the stored object's CRC32C and size with
 *   ours: equal means our write is in place; different means someone else's write won.
 */
export class GcsObjectStore implements ObjectStore {
    readonly description: string;
    readonly storage: Storage;
    protected readonly bucket: Bucket;
    protected readonly prefix: string;
    protected readonly timeoutMs: number;

    constructor(readonly options: GcsObjectStoreOptions) {
        this.prefix = options.prefix ? `${options.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
        this.description = `gs://${options.bucket}/${this.prefix}${options.apiEndpoint ? ` via ${options.apiEndpoint}` : ''}`;
        this.storage = new Storage({
            projectId: options.projectId ?? (options.apiEndpoint ? 'test' : undefined),
            apiEndpoint: options.apiEndpoint,
            retryOptions: { autoRetry: true, maxRetries: 4, ...options.retryOptions },
        });
        this.bucket = this.storage.bucket(options.bucket);
        this.timeoutMs = options.timeoutMs ?? 30_000;
    }

    protected name(key: string): string {
        return this.prefix + checkKey(key);
    }

    async put(key: string, data: Buffer, options: PutOptions = {}): Promise<ObjectInfo> {
        const crc = crc32cOf(data);
        if (data.length > (this.options.resumableThresholdBytes ?? 8 << 20)) {
            // The declared CRC32C makes GCS refuse to finalise other bytes, and resolves an
            // ambiguous 412 on retry exactly as below (putStream).
            try {
                return await this.putStream(key, Readable.from([data]), { ...options, expectedCrc32c: crc });
            } catch (error) {
                // A session that died after GCS stored the bytes (the answer lost, the client
                // unable to rewind a stream it already sent) fails here rather than with a 412:
                // if the object now holds exactly our bytes, the put is done.
                if (error instanceof PreconditionFailedError) {
                    throw error;
                }
                const current = await this.head(key).catch(() => undefined);
                if (current && current.crc32c === crc && current.size === data.length) {
                    return current;
                }
                throw error;
            }
        }
        const ifGenerationMatch = options.ifAbsent ? 0 : options.ifGenerationMatch !== undefined ? Number(options.ifGenerationMatch) : undefined;
        const file = this.bucket.file(this.name(key));
        try {
            await file.save(data, {
                resumable: false,
                validation: 'crc32c',
                timeout: this.timeoutMs,
                contentType: options.contentType ?? 'application/octet-stream',
                metadata: { crc32c: crc },
                ...(ifGenerationMatch !== undefined ? { preconditionOpts: { ifGenerationMatch } } : {}),
            });
        } catch (error) {
            if (statusOf(error) !== 412) {
                throw this.translate(error, key, 'writing');
            }
            // Ambiguous 412: was it our own retried write? Compare content.
            const current = await this.head(key);
            if (current && current.crc32c === crc && current.size === data.length) {
                return current;
            }
            throw new PreconditionFailedError(
                options.ifAbsent ? `Object ${key} already exists in ${this.description} with different content.`
                    : `Object ${key} in ${this.description} is no longer at generation ${options.ifGenerationMatch}.`, current);
        }
        const info = infoOf(key, file.metadata);
        return info.crc32c ? info : (await this.head(key)) ?? info;
    }

    /**
     * A resumable upload fed from `source`. `expectedCrc32c` goes into the upload's metadata, so
     * GCS itself refuses to finalise bytes with another CRC32C: a changed source never becomes
     * the object. A 412 is resolved as in `put` (our own retried write, or someone else's).
     */
    async putStream(key: string, source: Readable, options: StreamPutOptions = {}): Promise<ObjectInfo> {
        const ifGenerationMatch = options.ifAbsent ? 0 : options.ifGenerationMatch !== undefined ? Number(options.ifGenerationMatch) : undefined;
        const file = this.bucket.file(this.name(key));
        const measure = new Crc32cMeter();
        try {
            await pipeline(source, measure, file.createWriteStream({
                resumable: true,
                validation: 'crc32c',
                timeout: this.timeoutMs,
                contentType: options.contentType ?? 'application/octet-stream',
                ...(options.expectedCrc32c ? { metadata: { crc32c: options.expectedCrc32c } } : {}),
                ...(ifGenerationMatch !== undefined ? { preconditionOpts: { ifGenerationMatch } } : {}),
            }));
        } catch (error) {
            if (options.expectedCrc32c !== undefined && measure.writableFinished && measure.crc32c !== options.expectedCrc32c) {
                throw new ObjectContentMismatchError(`Streamed bytes for ${key} have CRC32C ${measure.crc32c}, not the expected ${options.expectedCrc32c}; the source changed while it was read. Nothing was stored; retry the put.`, { cause: error });
            }
            if (statusOf(error) !== 412) {
                throw this.translate(error, key, 'writing');
            }
            // GCS checks preconditions when the session starts, before any byte is read: then
            // only `expectedCrc32c` says what our bytes are.
            const read = measure.writableFinished;
            const ours = read ? measure.crc32c : options.expectedCrc32c;
            const current = await this.head(key);
            if (current && ours !== undefined && current.crc32c === ours && (!read || current.size === measure.size)) {
                return current;
            }
            throw new PreconditionFailedError(
                options.ifAbsent ? `Object ${key} already exists in ${this.description} with different content${ours === undefined ? ' (or the same: pass expectedCrc32c to tell)' : ''}.`
                    : `Object ${key} in ${this.description} is no longer at generation ${options.ifGenerationMatch}.`, current);
        }
        const info = await this.head(key);
        if (!info) {
            throw new ObjectStoreError(`Object ${key} vanished from ${this.description} right after its upload; is another process deleting it?`);
        }
        return info;
    }

    /**
     * The client retries a request that fails with a retryable status or before its answer
     * starts, but not a body cut off part-way (a reset mid-download; Litestream #848's truncated
     * reads): that fails without an HTTP status, and we ask again. The client's CRC32C check
     * turns a short body into such a failure, so short data is never returned.
     */
    async get(key: string): Promise<Buffer> {
        for (let attempt = 1; ; attempt++) {
            try {
                const [data] = await this.bucket.file(this.name(key)).download({ validation: 'crc32c', timeout: this.timeoutMs } as object);
                return data;
            } catch (error) {
                if (statusOf(error) !== undefined || attempt >= GET_ATTEMPTS) {
                    throw this.translate(error, key, 'reading');
                }
            }
        }
    }

    async getStream(key: string): Promise<Readable> {
        // Check existence first so a missing object is a clear error, not a stream error later.
        if (!(await this.head(key))) {
            throw new ObjectNotFoundError(`No object ${key} in ${this.description}.`);
        }
        return this.bucket.file(this.name(key)).createReadStream({ validation: 'crc32c' });
    }

    async head(key: string): Promise<ObjectInfo | undefined> {
        try {
            const [metadata] = await this.bucket.file(this.name(key)).getMetadata();
            return infoOf(key, metadata);
        } catch (error) {
            if (statusOf(error) === 404) {
                return undefined;
            }
            throw this.translate(error, key, 'reading metadata of');
        }
    }

    async *list(prefix: string): AsyncIterable<ObjectInfo> {
        let query: { prefix: string; autoPaginate: false; maxResults: number; pageToken?: string } | undefined =
            { prefix: this.prefix + prefix, autoPaginate: false, maxResults: 1000 };
        while (query) {
            let files, next;
            try {
                [files, next] = await this.bucket.getFiles(query);
            } catch (error) {
                throw this.translate(error, prefix, 'listing');
            }
            for (const file of files) {
                yield infoOf(file.name.slice(this.prefix.length), file.metadata);
            }
            query = next as typeof query;
        }
    }

    async delete(key: string, options: { ifGenerationMatch?: string } = {}): Promise<void> {
        try {
            await this.bucket.file(this.name(key)).delete(options.ifGenerationMatch !== undefined ? { ifGenerationMatch: Number(options.ifGenerationMatch) } : {});
        } catch (error) {
            const status = statusOf(error);
            if (status === 404) {
                return;
            }
            if (status === 412) {
                throw new PreconditionFailedError(`Object ${key} in ${this.description} is no longer at generation ${options.ifGenerationMatch}; not deleted.`);
            }
            throw this.translate(error, key, 'deleting');
        }
    }

    protected translate(error: unknown, key: string, doing: string): Error {
        const status = statusOf(error);
        if (status === 404) {
            return new ObjectNotFoundError(`No object ${key} in ${this.description}.`);
        }
        const hint = status === 401 || status === 403
            ? 'check the service account\'s permissions on the bucket (roles/storage.objectAdmin) and GOOGLE_APPLICATION_CREDENTIALS'
            : 'check the network and the bucket name; the replicator retries on its next sync';
        return new ObjectStoreError(`GCS: ${doing} ${key} in ${this.description} failed${status ? ` (HTTP ${status})` : ''}: ${(error as Error).message}; ${hint}.`, { cause: error });
    }
}

/** Downloads tried per `get` when the body breaks off (see `get`). */
const GET_ATTEMPTS = 3;

function statusOf(error: unknown): number | undefined {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'number' ? code : undefined;
}

function infoOf(key: string, metadata: { size?: string | number; crc32c?: string; generation?: string | number; updated?: string }): ObjectInfo {
    return {
        key,
        size: Number(metadata.size ?? 0),
        crc32c: metadata.crc32c ?? '',
        generation: String(metadata.generation ?? ''),
        updated: metadata.updated ? new Date(metadata.updated) : undefined,
    };
}
