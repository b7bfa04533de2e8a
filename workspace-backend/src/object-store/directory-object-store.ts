import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Crc32cAccumulator, crc32cOf, Crc32cMeter } from './crc32c';
import {
    checkKey, ObjectContentMismatchError, ObjectInfo, ObjectNotFoundError, ObjectStore, ObjectStoreError, PreconditionFailedError, PutOptions, StreamPutOptions
} from './object-store';

const TEMP_PREFIX = '.tmp-';
const LOCK_SUFFIX = '.cas-lock';
/** A compare-and-swap lock older than this was left by a dead process and may be broken. */
const STALE_LOCK_MS = 30_000;

/**
 * An object store in a local directory: the embedded default, and also a bucket mounted with
 * GCS FUSE (gcsfuse) when the replica should reach GCS without credentials in the app.
 *
 * Invariants:
 * - A put writes a temp file in the target's directory, fsyncs it, then publishes it with
 *   `link` (create-only: fails if the name exists) or `rename` (replace), then fsyncs the
 *   directory, so a crash leaves either the old object or the new one.
 * - Where `link` is unsupported (gcsfuse), create-only falls back to `open(O_EXCL)`, which
 *   gcsfuse maps to a create-only precondition, and the object becomes visible on close.
 * - Compare-and-swap (`ifGenerationMatch`) serialises through an `O_EXCL` lock file per key;
 *   the generation is derived from inode, size and nanosecond mtime, which every rename changes.
 * - Temp and lock files start with `.tmp-` / end with `.cas-lock` and are never listed.
 */
export class DirectoryObjectStore implements ObjectStore {
    readonly description: string;

    constructor(readonly root: string) {
        this.description = `directory ${root}`;
    }

    protected pathOf(key: string): string {
        return path.join(this.root, ...checkKey(key).split('/'));
    }

    async put(key: string, data: Buffer, options: PutOptions = {}): Promise<ObjectInfo> {
        const target = this.pathOf(key);
        const dir = path.dirname(target);
        await fs.promises.mkdir(dir, { recursive: true });
        const crc = crc32cOf(data);
        if (options.ifGenerationMatch !== undefined) {
            return this.withKeyLock(target, async () => {
                const current = await this.head(key);
                const generation = current?.generation ?? '0';
                if (generation !== options.ifGenerationMatch) {
                    throw new PreconditionFailedError(`Object ${key} is at generation ${generation}, not ${options.ifGenerationMatch}.`, current);
                }
                await this.publish(target, data, 'replace');
                return this.requireHead(key);
            });
        }
        if (options.ifAbsent) {
            try {
                await this.publish(target, data, 'create');
            } catch (error) {
                if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
                    throw error;
                }
                const current = await this.head(key);
                if (current && current.crc32c === crc && current.size === data.length) {
                    return current;
                }
                throw new PreconditionFailedError(`Object ${key} already exists with different content.`, current);
            }
            return this.requireHead(key);
        }
        await this.publish(target, data, 'replace');
        return this.requireHead(key);
    }

    protected async publish(target: string, data: Buffer, mode: 'create' | 'replace'): Promise<void> {
        const temp = this.tempFor(target);
        try {
            await writeAndSync(temp, data, 'wx');
            await this.publishTemp(temp, target, mode);
        } finally {
            await fs.promises.rm(temp, { force: true });
        }
    }

    protected tempFor(target: string): string {
        return path.join(path.dirname(target), `${TEMP_PREFIX}${path.basename(target)}-${crypto.randomBytes(6).toString('hex')}`);
    }

    /** Publishes a complete, fsynced temp file under `target`; the caller removes the temp file. */
    protected async publishTemp(temp: string, target: string, mode: 'create' | 'replace'): Promise<void> {
        const dir = path.dirname(target);
        if (mode === 'replace') {
            await fs.promises.rename(temp, target);
        } else {
            try {
                await fs.promises.link(temp, target);
            } catch (error) {
                const code = (error as NodeJS.ErrnoException).code;
                if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') {
                    throw error;
                }
                // No hard links here (gcsfuse): exclusive create is the create-only primitive
                // (COPYFILE_EXCL opens the target O_EXCL), and the object appears on close.
                await fs.promises.copyFile(temp, target, fs.constants.COPYFILE_EXCL);
                await syncFile(target);
            }
        }
        await syncDirectory(dir);
    }

    /**
     * Streams `source` into a temp file beside the target while computing its CRC32C, fsyncs it,
     * and publishes it only when the CRC matches `expectedCrc32c` (if given): a half-read or
     * changed source never becomes the object.
     */
    async putStream(key: string, source: Readable, options: StreamPutOptions = {}): Promise<ObjectInfo> {
        const target = this.pathOf(key);
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        const temp = this.tempFor(target);
        try {
            const measure = new Crc32cMeter();
            await pipeline(source, measure, fs.createWriteStream(temp, { flags: 'wx' }));
            await syncFile(temp);
            const actual = measure.crc32c;
            if (options.expectedCrc32c !== undefined && actual !== options.expectedCrc32c) {
                throw new ObjectContentMismatchError(`Streamed bytes for ${key} have CRC32C ${actual}, not the expected ${options.expectedCrc32c}; the source changed while it was read. Nothing was stored; retry the put.`);
            }
            if (options.ifGenerationMatch !== undefined) {
                return await this.withKeyLock(target, async () => {
                    const current = await this.head(key);
                    const generation = current?.generation ?? '0';
                    if (generation !== options.ifGenerationMatch) {
                        throw new PreconditionFailedError(`Object ${key} is at generation ${generation}, not ${options.ifGenerationMatch}.`, current);
                    }
                    await this.publishTemp(temp, target, 'replace');
                    return this.requireHead(key);
                });
            }
            if (options.ifAbsent) {
                try {
                    await this.publishTemp(temp, target, 'create');
                } catch (error) {
                    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
                        throw error;
                    }
                    const current = await this.head(key);
                    if (current && current.crc32c === actual && current.size === measure.size) {
                        return current;
                    }
                    throw new PreconditionFailedError(`Object ${key} already exists with different content.`, current);
                }
                return await this.requireHead(key);
            }
            await this.publishTemp(temp, target, 'replace');
            return await this.requireHead(key);
        } finally {
            await fs.promises.rm(temp, { force: true });
        }
    }

    async get(key: string): Promise<Buffer> {
        try {
            return await fs.promises.readFile(this.pathOf(key));
        } catch (error) {
            throw this.translate(error, key);
        }
    }

    async getStream(key: string): Promise<Readable> {
        const file = this.pathOf(key);
        try {
            const handle = await fs.promises.open(file, 'r');
            return handle.createReadStream();
        } catch (error) {
            throw this.translate(error, key);
        }
    }

    async head(key: string): Promise<ObjectInfo | undefined> {
        const file = this.pathOf(key);
        let stat: fs.BigIntStats;
        try {
            stat = await fs.promises.stat(file, { bigint: true });
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
                return undefined;
            }
            throw this.translate(error, key);
        }
        const crc = new Crc32cAccumulator();
        try {
            for await (const chunk of fs.createReadStream(file)) {
                crc.update(chunk as Buffer);
            }
        } catch (error) {
            // Deleted between the stat and the read (retention running beside a listing): gone, as in a bucket.
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
                return undefined;
            }
            throw this.translate(error, key);
        }
        return {
            key,
            size: Number(stat.size),
            crc32c: crc.toString(),
            generation: `${stat.ino}.${stat.size}.${stat.mtimeNs}`,
            updated: new Date(Number(stat.mtimeMs)),
        };
    }

    protected async requireHead(key: string): Promise<ObjectInfo> {
        const info = await this.head(key);
        if (!info) {
            throw new ObjectStoreError(`Object ${key} vanished right after it was written to ${this.root}; is another process deleting it?`);
        }
        return info;
    }

    async *list(prefix: string): AsyncIterable<ObjectInfo> {
        // Walk only the directory the prefix points into; keys are compared as strings.
        const slash = prefix.lastIndexOf('/');
        const base = slash >= 0 ? prefix.slice(0, slash) : '';
        const keys: string[] = [];
        await this.collect(base, keys);
        keys.sort();
        for (const key of keys) {
            if (key.startsWith(prefix)) {
                const info = await this.head(key);
                if (info) {
                    yield info;
                }
            }
        }
    }

    protected async collect(relDir: string, out: string[]): Promise<void> {
        let entries: fs.Dirent[];
        try {
            entries = await fs.promises.readdir(relDir ? path.join(this.root, ...relDir.split('/')) : this.root, { withFileTypes: true });
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
                return;
            }
            throw error;
        }
        for (const entry of entries) {
            if (entry.name.startsWith(TEMP_PREFIX) || entry.name.endsWith(LOCK_SUFFIX)) {
                continue;
            }
            const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
            if (entry.isDirectory()) {
                await this.collect(rel, out);
            } else if (entry.isFile()) {
                out.push(rel);
            }
        }
    }

    async delete(key: string, options: { ifGenerationMatch?: string } = {}): Promise<void> {
        const target = this.pathOf(key);
        const remove = async () => {
            if (options.ifGenerationMatch !== undefined) {
                const current = await this.head(key);
                if (current && current.generation !== options.ifGenerationMatch) {
                    throw new PreconditionFailedError(`Object ${key} is at generation ${current.generation}, not ${options.ifGenerationMatch}; not deleted.`, current);
                }
            }
            await fs.promises.rm(target, { force: true });
            await syncDirectory(path.dirname(target)).catch(() => undefined);
        };
        if (options.ifGenerationMatch !== undefined) {
            await this.withKeyLock(target, remove);
        } else {
            await remove();
        }
    }

    protected async withKeyLock<T>(target: string, fn: () => Promise<T>): Promise<T> {
        const lock = `${target}${LOCK_SUFFIX}`;
        const deadline = Date.now() + 10_000;
        for (;;) {
            try {
                const handle = await fs.promises.open(lock, 'wx');
                await handle.close();
                break;
            } catch (error) {
                if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
                    throw error;
                }
                const stat = await fs.promises.stat(lock).catch(() => undefined);
                if (stat && Date.now() - stat.mtimeMs > STALE_LOCK_MS) {
                    await fs.promises.rm(lock, { force: true });
                    continue;
                }
                if (Date.now() > deadline) {
                    throw new ObjectStoreError(`Timed out waiting for ${lock}; if no other process is writing this store, delete that file.`);
                }
                await new Promise(resolve => setTimeout(resolve, 5 + Math.random() * 20));
            }
        }
        try {
            return await fn();
        } finally {
            await fs.promises.rm(lock, { force: true });
        }
    }

    protected translate(error: unknown, key: string): Error {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
            return new ObjectNotFoundError(`No object ${key} in ${this.root}.`);
        }
        if (error instanceof ObjectStoreError) {
            return error;
        }
        return new ObjectStoreError(`Reading ${key} from ${this.root} failed: ${(error as Error).message}`, { cause: error });
    }
}

async function writeAndSync(file: string, data: Buffer, flags: string): Promise<void> {
    const handle = await fs.promises.open(file, flags);
    try {
        await handle.writeFile(data);
        await handle.sync();
    } finally {
        await handle.close();
    }
}

async function syncFile(file: string): Promise<void> {
    const handle = await fs.promises.open(file, 'r+');
    try {
        await handle.sync();
    } finally {
        await handle.close();
    }
}

/** Makes a rename or link durable. Some file systems (FUSE) refuse to open directories; that is not fatal. */
export async function syncDirectory(dir: string): Promise<void> {
    let handle: fs.promises.FileHandle | undefined;
    try {
        handle = await fs.promises.open(dir, 'r');
        await handle.sync();
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EPERM' && code !== 'EACCES') {
            throw error;
        }
    } finally {
        await handle?.close();
    }
}
