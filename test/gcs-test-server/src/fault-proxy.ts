import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ActiveFault, cappedMaxResults, FaultKind, FaultTable, gcsErrorBody, truncatedLength } from './faults';
import { keepIdleConnections } from './keep-idle-connections';

/**
 * An HTTP proxy that sits between a GCS client and a GCS JSON API server (the test server, or
 * anything else speaking HTTP) and injects faults on the wire by the rules in `faults`, which a
 * test adds and clears while traffic flows. The same rule kinds as the test server's in-process
 * faults (faults.ts), but the server stays unaware: it stores what reaches it, and the client
 * sees what the network did. That is what a test needs when the client lives in another process
 * (a writer child), or when the server's own bookkeeping must not know about the fault.
 *
 * On the wire:
 * - `status`: answered by the proxy; the server never sees the request.
 * - `reset-before`: the client's connection is reset once its request has arrived; not forwarded.
 * - `reset-after`: forwarded, the server's whole answer awaited (an upload is stored), then the
 *   client's connection is reset instead of relaying it.
 * - `delay`: held `delayMs` before forwarding (the client may give up and retry meanwhile).
 * - `truncate`: the server's answer relayed with its full Content-Length but only the first
 *   `truncateBytes` of the body, then the connection is reset.
 * - `page-size`: forwarded with `maxResults` capped, so listings come in small pages.
 *
 * Every request is recorded once it is done (`requests`, the `done` event), with the fault that
 * hit it, so a test can wait for a fault to have happened (`until`) and assert that it did.
 * Host headers pass through unchanged, so URLs the server builds (a resumable session's
 * Location) point back at the proxy and later requests of the session cross it too.
 */
export interface ProxiedRequest {
    method: string;
    /** Decoded path plus query, as rules match it. */
    path: string;
    fault?: FaultKind;
    faultId?: number;
    /** What the client was sent: the server's status, the injected one, or undefined when reset before any answer. */
    status?: number;
    /** Whether the request reached the server. */
    forwarded: boolean;
}

export class FaultProxy extends EventEmitter<{ done: [ProxiedRequest] }> {
    readonly faults = new FaultTable();
    readonly requests: ProxiedRequest[] = [];
    protected readonly sockets = new Set<Socket>();
    protected readonly agent = new http.Agent({ keepAlive: true });
    protected server: http.Server | undefined;
    protected target: URL | undefined;
    protected active = 0;
    url = '';

    /** Listens on a free port of 127.0.0.1 and forwards to `target` (e.g. the test server's url). */
    async start(target: string): Promise<string> {
        this.target = new URL(target);
        const server = http.createServer((req, res) => {
            this.active++;
            this.handle(req, res).catch(() => req.socket.destroy()).finally(() => this.active--);
        });
        keepIdleConnections(server);
        server.on('connection', socket => {
            this.sockets.add(socket);
            socket.on('close', () => this.sockets.delete(socket));
        });
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => resolve());
        });
        this.server = server;
        const address = server.address() as AddressInfo;
        this.url = `http://${address.address}:${address.port}`;
        return this.url;
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
        this.agent.destroy();
        await new Promise<void>(resolve => server.close(() => resolve()));
    }

    /** Requests being handled right now (held by a delay, or waiting for the server). */
    get inFlight(): number {
        return this.active;
    }

    /** Requests a fault hit and that are done, of one kind or all. */
    hits(kind?: FaultKind): ProxiedRequest[] {
        return this.requests.filter(r => r.fault !== undefined && (kind === undefined || r.fault === kind));
    }

    /**
     * Resolves once `predicate` holds, checking now and after every finished request; rejects
     * with `what` if the proxy stops first. For waiting on traffic, never on the clock.
     */
    until(predicate: () => boolean, what = 'a condition on the proxied traffic'): Promise<void> {
        if (predicate()) {
            return Promise.resolve();
        }
        return new Promise((resolve, reject) => {
            const check = () => {
                if (predicate()) {
                    this.off('done', check);
                    resolve();
                } else if (!this.server) {
                    this.off('done', check);
                    reject(new Error(`The fault proxy stopped before ${what}.`));
                }
            };
            this.on('done', check);
        });
    }

    protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const url = new URL(req.url ?? '/', 'http://proxy');
        const record: ProxiedRequest = { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname) + url.search, forwarded: false };
        const body = await readAll(req);
        const fault = this.faults.take(record.method, record.path);
        record.fault = fault?.kind;
        record.faultId = fault?.id;
        try {
            await this.apply(fault, req, res, url, body, record);
        } finally {
            this.requests.push(record);
            this.emit('done', record);
        }
    }

    protected async apply(fault: ActiveFault | undefined, req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: Buffer, record: ProxiedRequest): Promise<void> {
        switch (fault?.kind) {
            case 'status': {
                const status = fault.status ?? 503;
                const payload = Buffer.from(JSON.stringify(gcsErrorBody(status, `Injected by the fault proxy: HTTP ${status}`, 'injected')));
                record.status = status;
                res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': payload.length });
                res.end(payload);
                return;
            }
            case 'reset-before':
                req.socket.resetAndDestroy();
                return;
            case 'delay':
                await new Promise(resolve => setTimeout(resolve, fault.delayMs ?? 1000));
                break;
            case 'page-size':
                url.searchParams.set('maxResults', cappedMaxResults(fault, url.searchParams.get('maxResults') ?? undefined));
                break;
        }
        const answer = await this.forward(req, url.pathname + url.search, body);
        record.forwarded = true;
        if (fault?.kind === 'reset-after') {
            req.socket.resetAndDestroy();
            return;
        }
        record.status = answer.status;
        res.writeHead(answer.status, endToEnd(answer.headers, answer.body.length));
        if (fault?.kind === 'truncate') {
            await new Promise<void>(resolve => res.write(answer.body.subarray(0, truncatedLength(fault, answer.body.length)), () => resolve()));
            req.socket.resetAndDestroy();
            return;
        }
        await new Promise<void>(resolve => res.end(answer.body, () => resolve()));
    }

    /** Sends the request on to the target and reads its whole answer. */
    protected forward(req: http.IncomingMessage, pathAndQuery: string, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
        const headers = endToEnd(req.headers, body.length);
        return new Promise((resolve, reject) => {
            const upstream = http.request({
                host: this.target!.hostname, port: this.target!.port, method: req.method, path: pathAndQuery, headers, agent: this.agent,
            }, response => {
                readAll(response).then(data => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: data }), reject);
            });
            upstream.on('error', reject);
            upstream.end(body);
        });
    }
}

/**
 * The headers to pass on for a body the proxy buffered whole: hop-by-hop ones dropped (each side
 * keeps its own connection), the length stated.
 */
function endToEnd(headers: http.IncomingHttpHeaders, length: number): http.OutgoingHttpHeaders {
    const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...rest } = headers as http.IncomingHttpHeaders & { 'keep-alive'?: string };
    return { ...rest, 'content-length': String(length) };
}

function readAll(stream: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
        stream.on('aborted', () => reject(new Error('aborted')));
    });
}
