import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { crc32cBase64 } from './crc32c';
import { ActiveFault, cappedMaxResults, FaultTable, gcsErrorBody as errorBody, truncatedLength } from './faults';
import { boundaryOf, parseMultipart } from './multipart';
import { keepIdleConnections } from './keep-idle-connections';

/**
 * A Google Cloud Storage JSON API server for tests: objects live in memory, every write gets a
 * new generation, metadata updates bump the metageneration, and preconditions are enforced the
 * way GCS enforces them (`ifGenerationMatch=0` means "only if absent"). The real
 * `@google-cloud/storage` client talks to it through `apiEndpoint`.
 *
 * Covered: uploads (`uploadType=media`, `multipart`, `resumable` incl. chunks and status
 * queries), object metadata, downloads (`alt=media`, `Range`), listing (prefix, delimiter,
 * `maxResults`, `pageToken`), delete, metadata patch, CRC32C/MD5 in metadata and `x-goog-hash`.
 * Buckets spring into existence on first use.
 */
export interface StoredObject {
    bucket: string;
    name: string;
    data: Buffer;
    generation: number;
    metageneration: number;
    contentType: string;
    metadata: Record<string, string>;
    crc32c: string;
    md5Hash: string;
    timeCreated: string;
    updated: string;
}

export interface RecordedRequest {
    method: string;
    path: string;
    query: Record<string, string>;
    status?: number;
    fault?: ActiveFault['kind'];
}

interface ResumableSession {
    bucket: string;
    name: string;
    metadata: ObjectResource;
    params: Record<string, string>;
    chunks: Buffer[];
    received: number;
    finished?: StoredObject;
}

interface ObjectResource {
    name?: string;
    contentType?: string;
    metadata?: Record<string, string>;
    crc32c?: string;
    md5Hash?: string;
}

class HttpError extends Error {
    constructor(readonly status: number, message: string, readonly reason = 'invalid') {
        super(message);
    }
}

export interface GcsTestServerOptions {
    port?: number;
    host?: string;
}

export class GcsTestServer {
    readonly faults = new FaultTable();
    /** Every request, in arrival order (for asserting which upload type a client used). */
    readonly requests: RecordedRequest[] = [];
    protected readonly buckets = new Map<string, Map<string, StoredObject>>();
    protected readonly sessions = new Map<string, ResumableSession>();
    protected readonly sockets = new Set<Socket>();
    protected lastGeneration = Date.now() * 1000;
    protected server: http.Server | undefined;
    url = '';

    async start(options: GcsTestServerOptions = {}): Promise<{ url: string; stop(): Promise<void> }> {
        const server = http.createServer((req, res) => this.handle(req, res));
        keepIdleConnections(server);
        server.on('connection', socket => {
            this.sockets.add(socket);
            socket.on('close', () => this.sockets.delete(socket));
        });
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
        });
        this.server = server;
        const address = server.address() as AddressInfo;
        this.url = `http://${address.address}:${address.port}`;
        return { url: this.url, stop: () => this.stop() };
    }

    async stop(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        if (!server) {
            return;
        }
        for (const socket of this.sockets) {
            socket.destroy();
        }
        await new Promise<void>(resolve => server.close(() => resolve()));
    }

    /** Direct access for tests: the stored object, or undefined. */
    object(bucket: string, name: string): StoredObject | undefined {
        return this.buckets.get(bucket)?.get(name);
    }

    /** Direct access for tests: names in a bucket, sorted. */
    objectNames(bucket: string): string[] {
        return [...(this.buckets.get(bucket)?.keys() ?? [])].sort();
    }

    /** Writes an object as if uploaded (no preconditions, no faults). */
    putObject(bucket: string, name: string, data: Buffer, contentType = 'application/octet-stream'): StoredObject {
        return this.store(bucket, name, data, { contentType }, {});
    }

    deleteAll(): void {
        this.buckets.clear();
        this.sessions.clear();
    }

    protected bucket(name: string): Map<string, StoredObject> {
        let bucket = this.buckets.get(name);
        if (!bucket) {
            bucket = new Map();
            this.buckets.set(name, bucket);
        }
        return bucket;
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const query = Object.fromEntries(url.searchParams.entries());
        const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query };
        this.requests.push(record);
        const fault = this.faults.take(record.method, decodeURIComponent(url.pathname) + url.search);
        record.fault = fault?.kind;
        let body: Buffer;
        try {
            body = await readBody(req);
        } catch {
            return;
        }
        if (fault?.kind === 'page-size') {
            query.maxResults = cappedMaxResults(fault, query.maxResults);
        }
        if (fault?.kind === 'delay') {
            await new Promise(resolve => setTimeout(resolve, fault.delayMs ?? 1000));
        }
        if (fault?.kind === 'reset-before') {
            req.socket.destroy();
            return;
        }
        if (fault?.kind === 'status') {
            const status = fault.status ?? 503;
            record.status = status;
            this.sendJson(res, status, errorBody(status, `Injected fault: HTTP ${status}`, 'injected'));
            return;
        }
        let reply: Reply;
        try {
            reply = this.route(req, url, query, body);
        } catch (error) {
            if (error instanceof HttpError) {
                reply = { status: error.status, json: errorBody(error.status, error.message, error.reason) };
            } else {
                reply = { status: 500, json: errorBody(500, String(error), 'backendError') };
            }
        }
        record.status = reply.status;
        if (fault?.kind === 'reset-after') {
            req.socket.destroy();
            return;
        }
        const payload = reply.raw ?? (reply.json !== undefined ? Buffer.from(JSON.stringify(reply.json)) : Buffer.alloc(0));
        const headers: http.OutgoingHttpHeaders = { ...reply.headers, 'content-length': payload.length };
        if (!reply.raw && reply.json !== undefined) {
            headers['content-type'] = 'application/json; charset=UTF-8';
        }
        res.writeHead(reply.status, headers);
        if (fault?.kind === 'truncate') {
            res.write(payload.subarray(0, truncatedLength(fault, payload.length)), () => req.socket.destroy());
            return;
        }
        res.end(payload);
    }

    protected route(req: http.IncomingMessage, url: URL, query: Record<string, string>, body: Buffer): Reply {
        const method = req.method ?? 'GET';
        const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o\/?$/.exec(url.pathname);
        if (upload) {
            const bucket = decodeURIComponent(upload[1]);
            if (method === 'POST') {
                return this.uploadStart(req, bucket, query, body);
            }
            if (method === 'PUT' && query.upload_id) {
                return this.resumablePut(req, query.upload_id, body);
            }
            if (method === 'DELETE' && query.upload_id) {
                this.sessions.delete(query.upload_id);
                return { status: 499, json: {} };
            }
        }
        const objectPath = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
        if (objectPath) {
            const bucket = decodeURIComponent(objectPath[1]);
            const name = objectPath[2].split('/').map(decodeURIComponent).join('/');
            switch (method) {
                case 'GET': return this.getObject(req, bucket, name, query);
                case 'DELETE': return this.deleteObject(bucket, name, query);
                case 'PATCH': case 'PUT': return this.patchObject(bucket, name, query, body);
            }
        }
        const listPath = /^\/storage\/v1\/b\/([^/]+)\/o\/?$/.exec(url.pathname);
        if (listPath && method === 'GET') {
            return this.list(decodeURIComponent(listPath[1]), query);
        }
        const bucketPath = /^\/storage\/v1\/b\/([^/]+)\/?$/.exec(url.pathname);
        if (bucketPath && method === 'GET') {
            const name = decodeURIComponent(bucketPath[1]);
            return { status: 200, json: { kind: 'storage#bucket', id: name, name, metageneration: '1', location: 'TEST' } };
        }
        throw new HttpError(404, `The test server does not serve ${method} ${url.pathname}`, 'notFound');
    }

    protected uploadStart(req: http.IncomingMessage, bucket: string, query: Record<string, string>, body: Buffer): Reply {
        const type = query.uploadType ?? 'media';
        if (type === 'media') {
            if (!query.name) {
                throw new HttpError(400, 'uploadType=media needs a name parameter', 'required');
            }
            const stored = this.store(bucket, query.name, body, { contentType: req.headers['content-type'] }, query);
            return { status: 200, json: resource(stored) };
        }
        if (type === 'multipart') {
            const boundary = boundaryOf(req.headers['content-type']);
            if (!boundary) {
                throw new HttpError(400, 'multipart upload without a boundary in Content-Type');
            }
            let parts;
            try {
                parts = parseMultipart(body, boundary);
            } catch (error) {
                throw new HttpError(400, `Malformed multipart body: ${(error as Error).message}`);
            }
            if (parts.length !== 2) {
                throw new HttpError(400, `multipart upload needs 2 parts (metadata, media), got ${parts.length}`);
            }
            const metadata = JSON.parse(parts[0].body.toString() || '{}') as ObjectResource;
            const name = metadata.name ?? query.name;
            if (!name) {
                throw new HttpError(400, 'multipart upload without an object name', 'required');
            }
            const stored = this.store(bucket, name, parts[1].body, { contentType: parts[1].headers['content-type'], ...metadata }, query);
            return { status: 200, json: resource(stored) };
        }
        if (type === 'resumable') {
            const metadata = body.length ? JSON.parse(body.toString()) as ObjectResource : {};
            const name = metadata.name ?? query.name;
            if (!name) {
                throw new HttpError(400, 'resumable upload without an object name', 'required');
            }
            // Check preconditions early as GCS does, so a create-only upload of an existing
            // object fails before any data is sent.
            this.checkPreconditions(this.bucket(bucket).get(name), query, bucket, name);
            const id = crypto.randomUUID();
            this.sessions.set(id, { bucket, name, metadata, params: query, chunks: [], received: 0 });
            const host = req.headers.host ?? new URL(this.url).host;
            const location = `http://${host}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
            return { status: 200, headers: { location }, json: {} };
        }
        throw new HttpError(400, `Unknown uploadType ${type}`);
    }

    protected resumablePut(req: http.IncomingMessage, id: string, body: Buffer): Reply {
        const session = this.sessions.get(id);
        if (!session) {
            throw new HttpError(404, `No such upload session ${id}`, 'notFound');
        }
        if (session.finished) {
            return { status: 200, json: resource(session.finished) };
        }
        const range = String(req.headers['content-range'] ?? `bytes 0-*/${body.length}`);
        const match = /^bytes (\*|(\d+)-(\d+|\*))\/(\d+|\*)$/.exec(range.trim());
        if (!match) {
            throw new HttpError(400, `Bad Content-Range: ${range}`);
        }
        const total = match[4] === '*' ? undefined : Number(match[4]);
        if (match[1] !== '*') {
            const start = Number(match[2]);
            if (start > session.received) {
                throw new HttpError(400, `Content-Range starts at ${start} but only ${session.received} bytes were received`);
            }
            const fresh = body.subarray(session.received - start);
            session.chunks.push(Buffer.from(fresh));
            session.received += fresh.length;
        }
        // An open end ("a-*") means this request's body runs to the end of the object.
        const complete = (total !== undefined && session.received >= total) || (match[3] === '*' && match[1] !== '*');
        if (!complete) {
            const headers: http.OutgoingHttpHeaders = session.received > 0 ? { range: `bytes=0-${session.received - 1}` } : {};
            return { status: 308, headers };
        }
        const data = Buffer.concat(session.chunks);
        const stored = this.store(session.bucket, session.name, data, session.metadata, session.params);
        session.finished = stored;
        return { status: 200, json: resource(stored) };
    }

    protected getObject(req: http.IncomingMessage, bucket: string, name: string, query: Record<string, string>): Reply {
        const object = this.bucket(bucket).get(name);
        if (!object || (query.generation && Number(query.generation) !== object.generation)) {
            throw new HttpError(404, `No such object: ${bucket}/${name}`, 'notFound');
        }
        this.checkPreconditions(object, query, bucket, name);
        if (query.alt !== 'media') {
            return { status: 200, json: resource(object) };
        }
        const headers: http.OutgoingHttpHeaders = {
            'content-type': object.contentType,
            'x-goog-generation': String(object.generation),
            'x-goog-metageneration': String(object.metageneration),
            'x-goog-stored-content-encoding': 'identity',
            'x-goog-stored-content-length': String(object.data.length),
            'accept-ranges': 'bytes',
        };
        const range = req.headers.range;
        if (range) {
            const m = /^bytes=(\d*)-(\d*)$/.exec(range);
            if (!m || (m[1] === '' && m[2] === '')) {
                throw new HttpError(416, `Bad Range: ${range}`, 'requestedRangeNotSatisfiable');
            }
            const size = object.data.length;
            let start: number;
            let end: number;
            if (m[1] === '') {
                start = Math.max(0, size - Number(m[2]));
                end = size - 1;
            } else {
                start = Number(m[1]);
                end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
            }
            if (start >= size && size > 0) {
                throw new HttpError(416, `Range ${range} is past the end (${size} bytes)`, 'requestedRangeNotSatisfiable');
            }
            headers['content-range'] = `bytes ${start}-${end}/${size}`;
            return { status: 206, headers, raw: object.data.subarray(start, end + 1) };
        }
        headers['x-goog-hash'] = `crc32c=${object.crc32c},md5=${object.md5Hash}`;
        return { status: 200, headers, raw: object.data };
    }

    protected deleteObject(bucket: string, name: string, query: Record<string, string>): Reply {
        const objects = this.bucket(bucket);
        const object = objects.get(name);
        if (!object) {
            throw new HttpError(404, `No such object: ${bucket}/${name}`, 'notFound');
        }
        this.checkPreconditions(object, query, bucket, name);
        objects.delete(name);
        return { status: 204 };
    }

    protected patchObject(bucket: string, name: string, query: Record<string, string>, body: Buffer): Reply {
        const object = this.bucket(bucket).get(name);
        if (!object) {
            throw new HttpError(404, `No such object: ${bucket}/${name}`, 'notFound');
        }
        this.checkPreconditions(object, query, bucket, name);
        const patch = body.length ? JSON.parse(body.toString()) as ObjectResource : {};
        if (patch.contentType) {
            object.contentType = patch.contentType;
        }
        if (patch.metadata) {
            for (const [key, value] of Object.entries(patch.metadata)) {
                if (value === null) {
                    delete object.metadata[key];
                } else {
                    object.metadata[key] = value;
                }
            }
        }
        object.metageneration++;
        object.updated = new Date().toISOString();
        return { status: 200, json: resource(object) };
    }

    protected list(bucket: string, query: Record<string, string>): Reply {
        const prefix = query.prefix ?? '';
        const delimiter = query.delimiter;
        const maxResults = Math.max(1, Math.min(Number(query.maxResults ?? 1000) || 1000, 1000));
        const after = query.pageToken ? Buffer.from(query.pageToken, 'base64').toString() : undefined;
        // Entries are items and collapsed prefixes in one sorted sequence; a page holds up to
        // maxResults of them and its token is the last key it returned.
        const entries: { key: string; object?: StoredObject }[] = [];
        const seenPrefixes = new Set<string>();
        for (const name of [...this.bucket(bucket).keys()].sort()) {
            if (!name.startsWith(prefix)) {
                continue;
            }
            if (delimiter) {
                const cut = name.indexOf(delimiter, prefix.length);
                if (cut >= 0) {
                    const p = name.slice(0, cut + delimiter.length);
                    if (!seenPrefixes.has(p)) {
                        seenPrefixes.add(p);
                        entries.push({ key: p });
                    }
                    continue;
                }
            }
            entries.push({ key: name, object: this.bucket(bucket).get(name) });
        }
        const start = after === undefined ? 0 : entries.findIndex(e => e.key > after);
        const page = start < 0 ? [] : entries.slice(start, start + maxResults);
        const more = start >= 0 && start + maxResults < entries.length;
        const json: Record<string, unknown> = { kind: 'storage#objects' };
        const items = page.filter(e => e.object).map(e => resource(e.object!));
        const prefixes = page.filter(e => !e.object).map(e => e.key);
        if (items.length) {
            json.items = items;
        }
        if (prefixes.length) {
            json.prefixes = prefixes;
        }
        if (more) {
            json.nextPageToken = Buffer.from(page[page.length - 1].key).toString('base64');
        }
        return { status: 200, json };
    }

    protected checkPreconditions(object: StoredObject | undefined, query: Record<string, string>, bucket: string, name: string): void {
        const generation = object?.generation ?? 0;
        const failed =
            (query.ifGenerationMatch !== undefined && Number(query.ifGenerationMatch) !== generation) ||
            (query.ifGenerationNotMatch !== undefined && Number(query.ifGenerationNotMatch) === generation) ||
            (query.ifMetagenerationMatch !== undefined && (!object || Number(query.ifMetagenerationMatch) !== object.metageneration)) ||
            (query.ifMetagenerationNotMatch !== undefined && object !== undefined && Number(query.ifMetagenerationNotMatch) === object.metageneration);
        if (failed) {
            throw new HttpError(412, `At least one of the pre-conditions you specified did not hold (${bucket}/${name}).`, 'conditionNotMet');
        }
    }

    protected store(bucket: string, name: string, data: Buffer, metadata: ObjectResource, params: Record<string, string>): StoredObject {
        const objects = this.bucket(bucket);
        this.checkPreconditions(objects.get(name), params, bucket, name);
        const crc = crc32cBase64(data);
        const md5 = crypto.createHash('md5').update(data).digest('base64');
        // A client-declared hash that does not match the bytes means corruption in transit.
        if (metadata.crc32c && metadata.crc32c !== crc) {
            throw new HttpError(400, `Provided CRC32C "${metadata.crc32c}" doesn't match calculated CRC32C "${crc}".`);
        }
        if (metadata.md5Hash && metadata.md5Hash !== md5) {
            throw new HttpError(400, `Provided MD5 hash "${metadata.md5Hash}" doesn't match calculated MD5 hash "${md5}".`);
        }
        const now = new Date().toISOString();
        this.lastGeneration = Math.max(this.lastGeneration + 1, Date.now() * 1000);
        const stored: StoredObject = {
            bucket, name, data,
            generation: this.lastGeneration,
            metageneration: 1,
            contentType: metadata.contentType ?? 'application/octet-stream',
            metadata: { ...metadata.metadata },
            crc32c: crc,
            md5Hash: md5,
            timeCreated: now,
            updated: now,
        };
        objects.set(name, stored);
        return stored;
    }

    protected sendJson(res: http.ServerResponse, status: number, json: unknown): void {
        const payload = Buffer.from(JSON.stringify(json));
        res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': payload.length });
        res.end(payload);
    }
}

interface Reply {
    status: number;
    headers?: http.OutgoingHttpHeaders;
    json?: unknown;
    raw?: Buffer;
}

function resource(o: StoredObject): Record<string, unknown> {
    return {
        kind: 'storage#object',
        id: `${o.bucket}/${o.name}/${o.generation}`,
        selfLink: `/storage/v1/b/${encodeURIComponent(o.bucket)}/o/${encodeURIComponent(o.name)}`,
        name: o.name,
        bucket: o.bucket,
        generation: String(o.generation),
        metageneration: String(o.metageneration),
        contentType: o.contentType,
        size: String(o.data.length),
        crc32c: o.crc32c,
        md5Hash: o.md5Hash,
        metadata: Object.keys(o.metadata).length ? o.metadata : undefined,
        timeCreated: o.timeCreated,
        updated: o.updated,
        storageClass: 'STANDARD',
    };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => resolve(Buffer.concat(chunks)));
        req.on('error', reject);
        req.on('aborted', () => reject(new Error('request aborted')));
    });
}

/** Starts a server on `port` (0 = any free port). */
export async function start(options: GcsTestServerOptions = {}): Promise<{ url: string; server: GcsTestServer; faults: FaultTable; stop(): Promise<void> }> {
    const server = new GcsTestServer();
    const { url, stop } = await server.start(options);
    return { url, server, faults: server.faults, stop };
}

