import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake studio received, as the CLI sent it. */
export interface RecordedRequest {
    readonly method: string;
    /** Without the query. */
    readonly path: string;
    readonly query: Readonly<Record<string, string>>;
    readonly headers: http.IncomingHttpHeaders;
    /** The parsed JSON body; undefined when there was none. */
    readonly body: unknown;
}

export type FakeAnswer = {
    readonly status: number;
    /** Sent as JSON, or as it is when a string. */
    readonly body?: unknown;
} | typeof NoAnswer;

/** An answer that never comes: the request stays open until the client gives up. */
export const NoAnswer = 'no answer';

/**
 * The studio's HTTP API as far as a spec needs it: fixed answers per `METHOD path`, in order (the last one
 * repeats), and every request recorded. A route it was not given answers 404 `{ error }`, as the studio does.
 */
export class FakeStudio {
    readonly requests: RecordedRequest[] = [];
    private readonly answers = new Map<string, FakeAnswer[]>();
    private readonly server = http.createServer((request, response) => this.handle(request, response));

    answer(method: string, path: string, ...answers: FakeAnswer[]): this {
        this.answers.set(`${method} ${path}`, answers);
        return this;
    }

    /** Listens on 127.0.0.1 on a free port; resolves to the base URL (what CODITECT_API_URL would be). */
    async start(): Promise<string> {
        await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async close(): Promise<void> {
        this.server.closeAllConnections();
        await new Promise<void>(resolve => this.server.close(() => resolve()));
    }

    /** Resolves once `count` requests have arrived. */
    async received(count: number, timeoutMs = 20_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (this.requests.length < count) {
            if (Date.now() > deadline) {
                throw new Error(`The fake studio received ${this.requests.length} request(s), not ${count}.`);
            }
            await new Promise(resolve => setTimeout(resolve, 20));
        }
    }

    private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
        const chunks: Buffer[] = [];
        request.on('data', chunk => chunks.push(chunk));
        request.on('end', () => {
            const url = new URL(request.url ?? '/', 'http://fake');
            const text = Buffer.concat(chunks).toString('utf8');
            this.requests.push({
                method: request.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers,
                body: text === '' ? undefined : JSON.parse(text),
            });
            const queue = this.answers.get(`${request.method} ${url.pathname}`);
            const answer = queue === undefined ? { status: 404, body: { error: `No route ${request.method} ${url.pathname}.` } }
                : queue.length > 1 ? queue.shift()! : queue[0];
            if (answer === NoAnswer) {
                return;
            }
            if (answer.body === undefined) {
                response.writeHead(answer.status).end();
            } else if (typeof answer.body === 'string') {
                response.writeHead(answer.status, { 'content-type': 'text/html' }).end(answer.body);
            } else {
                response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
            }
        });
    }
}
