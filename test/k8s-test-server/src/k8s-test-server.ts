import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Api, Query, Target } from './api';
import { coreVersions, group, groupList, resourceList, serverVersion } from './discovery';
import { Kubelet } from './kubelet';
import { kubeconfigFor } from './kubeconfig';
import { KubeObject, thaw } from './objects';
import { openApiDocument, openApiRoot } from './openapi';
import type { PodRunner } from './pod-runner';
import { findResourceType, resourceTypeOf, resourceTypes } from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { StatefulSetController } from './statefulset-controller';
import { ApiError, badRequest, expired, methodNotAllowed, routeNotFound, unauthorized } from './status';
import { Store } from './store';
import { selfSignedCertificate } from './tls';
import { WatchStream } from './watch';

export interface RecordedRequest {
    method: string;
    path: string;
    query: Record<string, string>;
    /** The response status (200 for a watch, recorded when its stream opens). */
    status?: number;
}

export interface K8sTestServerOptions {
    /** The bearer token clients must send (random when not given). */
    token?: string;
    /** Runs pods; without one a pod becomes Running and Ready `readyDelayMs` after it is created. */
    podRunner?: PodRunner;
    readyDelayMs?: number;
    /** Events kept per resource type for watches to resume from (older resourceVersions get 410). Default 10,000. */
    historyLimit?: number;
    /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK. Default 1000 ms (the API server: about a minute). */
    bookmarkIntervalMs?: number;
}

/**
 * A Kubernetes API server for tests: the REST protocol of namespaces, pods, services,
 * persistentvolumeclaims, configmaps, secrets and apps/v1 statefulsets (with scale and status),
 * objects in memory, a StatefulSet controller and a kubelet whose pods a {@link PodRunner} can
 * make real. `@kubernetes/client-node` and `kubectl` talk to it through {@link kubeconfig}.
 *
 * Everything happens on the event loop, so every request sees the effects of all requests
 * answered before it; controllers react on the next turn, as the real ones react after the
 * write was acknowledged.
 */
export class K8sTestServer {
    readonly token: string;
    /** Plain HTTP: for clients that send the token themselves (client-node, fetch). */
    url = '';
    /**
     * The same API over TLS, which {@link kubeconfig} names: kubectl (client-go) sends a
     * kubeconfig's token only over TLS, so an http:// kubeconfig would reach the server as
     * anonymous and get 401 for everything.
     */
    httpsUrl = '';
    /** PEM of the self-signed certificate of {@link httpsUrl} (also in the kubeconfig as certificate-authority-data). */
    readonly caCertificate: string;
    private readonly tlsKey: string;
    private readonly recorded: RecordedRequest[] = [];
    private readonly store: Store;
    private readonly kubelet: Kubelet;
    private readonly controller: StatefulSetController;
    private readonly api: Api;
    private readonly watches = new Set<WatchStream>();
    private readonly sockets = new Set<Socket>();
    private readonly bookmarkIntervalMs: number;
    private servers: http.Server[] = [];

    private constructor(options: K8sTestServerOptions) {
        this.token = options.token ?? crypto.randomBytes(24).toString('base64url');
        const tls = selfSignedCertificate();
        this.caCertificate = tls.certPem;
        this.tlsKey = tls.keyPem;
        this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 1000;
        this.store = new Store({ historyLimit: options.historyLimit ?? 10_000 });
        this.kubelet = new Kubelet(this.store, { runner: options.podRunner, readyDelayMs: options.readyDelayMs ?? 20 });
        this.controller = new StatefulSetController(this.store, this.kubelet);
        this.api = new Api(this.store, this.kubelet);
        this.api.ensureNamespace('default');
    }

    static async start(options: K8sTestServerOptions = {}): Promise<K8sTestServer> {
        const instance = new K8sTestServer(options);
        await instance.listen();
        return instance;
    }

    /** Every request in arrival order. */
    get requests(): readonly RecordedRequest[] {
        return this.recorded;
    }

    /** A kubeconfig for {@link httpsUrl} with the token and the CA certificate; kubectl and client-node's loadFromString accept it. */
    kubeconfig(namespace?: string): string {
        return kubeconfigFor(this.httpsUrl, this.token, namespace, this.caCertificate);
    }

    writeKubeconfig(file: string, namespace?: string): void {
        fs.writeFileSync(file, this.kubeconfig(namespace), { mode: 0o600 });
    }

    /** A copy of a stored object (`plural` as in the URL: "statefulsets", "pods", ...), or undefined. */
    object(plural: string, namespace: string | undefined, name: string): KubeObject | undefined {
        const type = resourceTypeOf(plural);
        const object = this.store.get(plural, type.namespaced ? namespace ?? 'default' : undefined, name);
        return object && thaw(object);
    }

    /** Copies of all objects of a type (in one namespace, or all), sorted by namespace and name. */
    objects(plural: string, namespace?: string): KubeObject[] {
        const type = resourceTypeOf(plural);
        const all = [...this.store.of(plural).all(type.namespaced ? namespace : undefined)];
        all.sort((a, b) => {
            const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
            const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
            return ka < kb ? -1 : ka > kb ? 1 : 0;
        });
        return all.map(o => thaw(o));
    }

    /** The current (global) resourceVersion. */
    get resourceVersion(): string {
        return String(this.store.resourceVersion);
    }

    /** Ends every open watch, as an API server restart would; clients resume from their last resourceVersion. */
    closeWatches(): void {
        for (const watch of [...this.watches]) {
            watch.end();
        }
    }

    async stop(): Promise<void> {
        const servers = this.servers;
        this.servers = [];
        if (!servers.length) {
            return;
        }
        this.controller.stop();
        this.closeWatches();
        await this.kubelet.stopAll();
        for (const socket of this.sockets) {
            socket.destroy();
        }
        await Promise.all(servers.map(server => new Promise<void>(resolve => server.close(() => resolve()))));
    }

    private async listen(): Promise<void> {
        const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
        const plain = http.createServer(handler);
        const secure = https.createServer({ key: this.tlsKey, cert: this.caCertificate }, handler);
        for (const server of [plain, secure]) {
            // Idle connections are kept 30 s: long enough that a pooling client's next request does not
            // race the close, short enough that a client opening a connection per request (client-node
            // over TLS does) does not pile up thousands of idle sockets (a 10,000-object bench ran out of files).
            server.keepAliveTimeout = 30_000;
            server.on('connection', (socket: Socket) => {
                this.sockets.add(socket);
                socket.on('close', () => this.sockets.delete(socket));
            });
            await new Promise<void>((resolve, reject) => {
                server.once('error', reject);
                server.listen(0, '127.0.0.1', () => resolve());
            });
            this.servers.push(server);
        }
        this.url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
        this.httpsUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const query: Query = Object.fromEntries(url.searchParams.entries());
        const method = req.method ?? 'GET';
        const record: RecordedRequest = { method, path: url.pathname, query };
        this.recorded.push(record);
        let body: Buffer;
        try {
            body = await readBody(req);
        } catch {
            return;
        }
        try {
            if (req.headers.authorization !== `Bearer ${this.token}`) {
                throw unauthorized();
            }
            const reply = this.route(req, res, url.pathname, query, body);
            if (reply === 'watch') {
                record.status = 200;
                return;
            }
            record.status = reply.status;
            send(res, reply.status, reply.body, reply.contentType);
        } catch (error) {
            const apiError = error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error)?.stack ?? String(error)}`);
            record.status = apiError.code;
            send(res, apiError.code, apiError.status);
        }
    }

    private route(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, query: Query, body: Buffer): Reply | 'watch' {
        const method = req.method ?? 'GET';
        const segments = pathname.split('/').filter(s => s).map(decodeURIComponent);
        const host = req.headers.host ?? new URL(this.url).host;
        if (method === 'GET') {
            const doc = this.discovery(segments, host);
            if (doc !== undefined) {
                return typeof doc === 'string' ? { status: 200, body: doc, contentType: 'text/plain; charset=utf-8' } : { status: 200, body: doc };
            }
        }
        const target = parseResourcePath(segments);
        if (!target) {
            throw routeNotFound();
        }
        const isCollection = target.name === undefined;
        switch (method) {
            case 'GET':
                if (isCollection) {
                    if (query.watch === 'true' || query.watch === '1') {
                        this.watch(target, query, res);
                        return 'watch';
                    }
                    return { status: 200, body: this.api.list(target, query) };
                }
                return { status: 200, body: this.api.get(target) };
            case 'POST':
                if (!isCollection) {
                    throw methodNotAllowed(method);
                }
                return { status: query.dryRun === 'All' ? 200 : 201, body: this.api.create(target, parseJson(body), query) };
            case 'PUT':
                if (isCollection) {
                    throw methodNotAllowed(method);
                }
                return { status: 200, body: this.api.replace(target, parseJson(body), query) };
            case 'PATCH':
                if (isCollection) {
                    throw methodNotAllowed(method);
                }
                return { status: 200, body: this.api.patch(target, String(req.headers['content-type'] ?? ''), body, query) };
            case 'DELETE': {
                const options = body.length ? parseJson(body) : undefined;
                if (isCollection) {
                    return { status: 200, body: this.api.deleteCollection(target, options, query) };
                }
                return { status: 200, body: this.api.delete(target, options, query) };
            }
        }
        throw methodNotAllowed(method);
    }

    private discovery(segments: string[], host: string): unknown | undefined {
        const path = segments.join('/');
        switch (path) {
            case 'version': return serverVersion;
            case 'api': return coreVersions(host);
            case 'apis': return groupList();
            case 'healthz': case 'livez': case 'readyz': return 'ok';
        }
        if (path === 'openapi/v3') {
            return openApiRoot();
        }
        if (segments[0] === 'openapi' && segments[1] === 'v3') {
            return openApiDocument(segments.slice(2).join('/')) ?? notServed();
        }
        if (segments[0] === 'api' && segments.length === 2) {
            return resourceList('', segments[1]) ?? notServed();
        }
        if (segments[0] === 'apis' && segments.length === 2) {
            return group(segments[1]) ?? notServed();
        }
        if (segments[0] === 'apis' && segments.length === 3) {
            return resourceList(segments[1], segments[2]) ?? notServed();
        }
        return undefined;
    }

    private watch(target: Target, query: Query, res: http.ServerResponse): void {
        const { type } = target;
        const filter = {
            namespace: type.namespaced ? target.namespace : undefined,
            labels: parseLabelSelector(query.labelSelector),
            fields: parseFieldSelector(query.fieldSelector, type.selectableFields ?? []),
        };
        const rv = query.resourceVersion ?? '';
        if (rv !== '' && !/^\d+$/.test(rv)) {
            throw badRequest(`invalid resource version: ${rv}`);
        }
        const bookmarks = query.allowWatchBookmarks === 'true' || query.allowWatchBookmarks === '1';
        const stream = new WatchStream(type, this.store.of(type.plural), res, {
            filter,
            bookmarks,
            bookmarkIntervalMs: this.bookmarkIntervalMs,
            timeoutSeconds: query.timeoutSeconds !== undefined ? Number(query.timeoutSeconds) : undefined,
            currentRv: () => this.store.resourceVersion,
            onEnd: w => this.watches.delete(w),
        });
        this.watches.add(stream);
        if (rv === '' || rv === '0') {
            stream.startWithState(bookmarks && query.sendInitialEvents === 'true');
        } else if (!stream.startAfter(Number(rv))) {
            const compacted = this.store.of(type.plural).compactedRv;
            stream.fail(expired(`too old resource version: ${rv} (${compacted + 1})`).status);
        }
    }
}

interface Reply {
    status: number;
    body: unknown;
    contentType?: string;
}

function notServed(): never {
    throw routeNotFound();
}

/**
 * `/api/v1/...` or `/apis/<group>/<version>/...`, then `namespaces/<ns>/<plural>[/<name>[/<sub>]]`
 * for namespaced types or `<plural>[/<name>[/<sub>]]` (cluster-scoped, or a namespaced type
 * across all namespaces). `namespaces/<name>/status` is the namespace's own subresource.
 */
function parseResourcePath(segments: string[]): Target | undefined {
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === 'api' && segments.length >= 3) {
        group = '';
        version = segments[1];
        rest = segments.slice(2);
    } else if (segments[0] === 'apis' && segments.length >= 4) {
        group = segments[1];
        version = segments[2];
        rest = segments.slice(3);
    } else {
        return undefined;
    }
    if (rest[0] === 'namespaces' && rest.length >= 3) {
        const type = findResourceType(group, version, rest[2]);
        if (type?.namespaced && rest.length <= 5) {
            return { type, namespace: rest[1], name: rest[3], subresource: rest[4] };
        }
    }
    const type = findResourceType(group, version, rest[0]);
    if (!type || rest.length > 3) {
        return undefined;
    }
    if (type.namespaced && rest.length > 1) {
        return undefined;
    }
    return { type, name: rest[1], subresource: rest[2] };
}

function parseJson(body: Buffer): unknown {
    try {
        return JSON.parse(body.toString('utf8'));
    } catch (error) {
        throw badRequest(`the object provided is unrecognized or malformed: couldn't get version/kind; json parse error: ${(error as Error).message}`);
    }
}

function send(res: http.ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
    const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    res.writeHead(status, { 'content-type': contentType, 'content-length': payload.length, 'cache-control': 'no-cache, private' });
    res.end(payload);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => resolve(Buffer.concat(chunks)));
        req.on('error', reject);
    });
}

/** The resource types served, for tests that iterate them. */
export const servedResources = resourceTypes.map(t => ({ group: t.group, version: t.version, kind: t.kind, plural: t.plural, namespaced: t.namespaced, subresources: [...t.subresources] }));
