import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';

/**
 * http-proxy-3 as the fleet's routers use it (the wake router to a studio, the v1 gateway to v1):
 * requests passed on with their path, query and streamed body, X-Forwarded-* added, websockets
 * too. The websockets it holds or carries are closed with it: a server's close does not end
 * upgraded sockets.
 */
export class UpstreamProxy {
    protected readonly proxy = createProxyServer({ xfwd: true, ws: true });
    protected readonly sockets = new Set<Duplex>();

    /** `unreachable` answers a request whose upstream did not answer; such a websocket is closed. */
    constructor(unreachable: (response: http.ServerResponse, error: Error) => void) {
        this.proxy.on('error', (error, _request, target) => {
            if (isResponse(target) && !target.headersSent) {
                unreachable(target, error);
            } else {
                (target as Duplex | undefined)?.destroy();
            }
        });
    }

    web(request: http.IncomingMessage, response: http.ServerResponse, target: string): void {
        this.proxy.web(request, response, { target });
    }

    /** Keeps an upgrade's socket from its arrival on (it may be held while its person is checked or its workspace wakes), to close with the proxy. */
    hold(socket: Duplex): void {
        if (!this.sockets.has(socket)) {
            this.sockets.add(socket);
            socket.once('close', () => this.sockets.delete(socket));
        }
    }

    ws(request: http.IncomingMessage, socket: Duplex, head: Buffer, target: string): void {
        this.hold(socket);
        this.proxy.ws(request, socket, head, { target });
    }

    close(): void {
        this.sockets.forEach(socket => socket.destroy());
        this.proxy.close();
    }
}

function isResponse(target: unknown): target is http.ServerResponse {
    return typeof (target as http.ServerResponse | undefined)?.writeHead === 'function';
}
