import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Vendor } from '../model-provider';
import type { Fixture, FixtureError, FixtureStream } from './fixture';
import { fixtureFor } from './fixtures';
import { badRequestBody, WireFormat, WireFormats } from './wire-format';

/** What the SDK sent, as the server saw it. */
export interface RecordedRequest {
    readonly method: string;
    readonly path: string;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: unknown;
}

export interface FixtureServer {
    /** Give this to the SDK (ProviderConfig.baseUrl). */
    readonly baseUrl: string;
    readonly requests: RecordedRequest[];
    /** Requests that did not match the script (wrong path, missing tool results, past the last turn); a passing test expects none. */
    readonly failures: string[];
    stop(): Promise<void>;
}

export interface FixtureServerOptions {
    /**
     * Waits this long before answering each request (a model thinking), so a person can watch
     * an agent work (the demo). Default 0: tests stay fast.
     */
    readonly turnDelayMs?: number;
    /**
     * Every answer also waits until this settles: a test that must see agents at work (waiting on
     * their vendor) before they may finish, however long a loaded machine takes to show them.
     */
    readonly holdUntil?: Promise<unknown>;
}

/**
 * Serves one fixture over HTTP on a loopback port chosen by the OS, in the wire format of the
 * fixture's vendor. Request N gets turn N (a `repeat` turn answers all later ones). Anything
 * unexpected is answered with a 400 in the vendor's error shape and recorded in `failures`,
 * so a test sees both a clear error and the reason.
 */
export async function startFixtureServer(vendor: Vendor, fixture: string | Fixture, options: FixtureServerOptions = {}): Promise<FixtureServer> {
    const script = typeof fixture === 'string' ? fixtureFor(vendor, fixture) : fixture;
    const wire = WireFormats[script.wire];
    const requests: RecordedRequest[] = [];
    const failures: string[] = [];
    const sockets = new Set<import('node:net').Socket>();
    let turnIndex = 0;

    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', chunk => chunks.push(chunk as Buffer));
        req.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
                body = text === '' ? undefined : JSON.parse(text);
            } catch {
                // keep the raw text; the expectations below will fail on it
            }
            requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
            const reject = (reason: string): void => {
                failures.push(`request ${requests.length}: ${reason}`);
                sendJson(res, 400, {}, badRequestBody(script.wire, `fixture server: ${reason}`));
            };
            if (req.method !== 'POST' || !wire.matchesPath(req.url ?? '')) {
                return reject(`unexpected ${req.method} ${req.url} for the ${script.wire} protocol`);
            }
            const turn = script.turns[turnIndex];
            if (turn === undefined) {
                return reject(`the fixture has ${script.turns.length} turn(s); request ${requests.length} is one too many`);
            }
            if (!turn.repeat) {
                turnIndex++;
            }
            if (turn.expectToolResults) {
                const sent = wire.toolResultsIn(body);
                if (JSON.stringify(sent) !== JSON.stringify(turn.expectToolResults)) {
                    return reject(`expected tool results ${JSON.stringify(turn.expectToolResults)} but the request carried ${JSON.stringify(sent)}`);
                }
            }
            const respond = (): void => {
                if (turn.response.kind === 'error') {
                    sendError(res, turn.response, wire.keyFrom(req.headers));
                } else {
                    sendStream(res, wire, turn.response);
                }
            };
            const delayed = (): void => {
                if (options.turnDelayMs) {
                    // The turn is taken already; stop() destroys the socket of an answer still waiting.
                    setTimeout(respond, options.turnDelayMs);
                } else {
                    respond();
                }
            };
            if (options.holdUntil) {
                void options.holdUntil.finally(delayed);
            } else {
                delayed();
            }
        });
    });
    server.on('connection', socket => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        baseUrl: wire.baseUrl(origin),
        requests,
        failures,
        stop: () => new Promise<void>(resolve => {
            for (const socket of sockets) {
                socket.destroy();
            }
            server.close(() => resolve());
        }),
    };
}

function sendJson(res: http.ServerResponse, status: number, headers: Readonly<Record<string, string>>, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
}

function sendError(res: http.ServerResponse, response: FixtureError, apiKey: string | undefined): void {
    // Planting the received key lets tests prove it never reaches an error message.
    const body = JSON.parse(JSON.stringify(response.body), (_key, value: unknown) =>
        typeof value === 'string' ? value.split('{{apiKey}}').join(apiKey ?? '') : value) as unknown;
    sendJson(res, response.status, response.headers ?? {}, body);
}

function sendStream(res: http.ServerResponse, wire: WireFormat, response: FixtureStream): void {
    res.writeHead(200, { 'content-type': wire.contentType, 'cache-control': 'no-cache' });
    const events = response.cut ? response.events.slice(0, response.cut.afterEvents) : response.events;
    for (const event of events) {
        res.write(wire.frame(event));
    }
    if (response.cut?.how === 'destroy') {
        // Let the written bytes leave before the connection drops, as a real cut does.
        setTimeout(() => res.socket?.destroy(), 20);
        return;
    }
    if (response.cut?.how === 'stall') {
        return; // stop() destroys the socket
    }
    res.end(response.cut ? '' : wire.terminator);
}
