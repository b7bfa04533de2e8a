import '@theia/core/lib/common/message-rpc'; // registers the RPC protocol's msgpack extensions (errors), as the IDE does
import { io, Socket } from 'socket.io-client';
import { ChannelMultiplexer, ForwardingChannel } from '@theia/core/lib/common/message-rpc/channel';
import { Uint8ArrayReadBuffer, Uint8ArrayWriteBuffer } from '@theia/core/lib/common/message-rpc/uint8-array-message-buffer';
import { ConnectionManagementMessages } from '@theia/core/lib/common/messaging/connection-management';
import { RpcProxyFactory } from '@theia/core/lib/common/messaging/proxy-factory';
import { servicesPath } from '@theia/core/lib/common/messaging/handler';
import * as crypto from 'node:crypto';

/** How a websocket handshake presents itself: credentials and the page's origin. */
export interface StudioSocketOptions {
    readonly headers?: Record<string, string>;
}

/**
 * A Theia RPC client over the studio's real websocket, speaking what the browser speaks
 * (socket.io, the connection-management handshake, the channel multiplexer, Theia's RPC
 * protocol), so security tests can call backend services as a given person would.
 */
export class StudioRpcClient {
    /** Resolves with socket.io's reason when the connection ends ("io server disconnect": the studio closed it). */
    readonly closed: Promise<string>;

    protected constructor(protected readonly socket: Socket, protected readonly multiplexer: ChannelMultiplexer) {
        this.closed = new Promise(resolve => socket.once('disconnect', reason => resolve(reason)));
    }

    /** Connects, or rejects with the handshake's refusal (the studio refused the upgrade). */
    static async connect(baseUrl: string, options: StudioSocketOptions = {}): Promise<StudioRpcClient> {
        // Theia's own guard wants the connection-token cookie every page load sets; fetch it as a browser would
        // (with the same headers: behind a gateway, every request carries the person's token).
        const page = await fetch(`${baseUrl}/login`, { headers: options.headers });
        const theiaCookie = (page.headers.getSetCookie().find(c => c.startsWith('theia-connection-token=')) ?? '').split(';')[0];
        const cookie = [theiaCookie, options.headers?.Cookie].filter(Boolean).join('; ');
        // Under a path (a router's `/theia/<id>`), socket.io's endpoint is under it too; the namespace is the studio's own.
        const base = new URL(baseUrl);
        const socket = io(`${base.origin}${servicesPath}`, {
            path: `${base.pathname.replace(/\/+$/, '')}/socket.io`, transports: ['websocket'], reconnection: false, extraHeaders: { ...options.headers, Cookie: cookie }, timeout: 10_000,
        });
        try {
            await new Promise<void>((resolve, reject) => {
                socket.once('connect', () => resolve());
                socket.once('connect_error', error => reject(new Error(`websocket refused: ${error.message}`)));
                socket.once('disconnect', reason => reject(new Error(`websocket closed by the studio: ${reason}`)));
            });
            await new Promise<void>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error('the studio did not answer the initial connect')), 10_000);
                socket.once(ConnectionManagementMessages.INITIAL_CONNECT, () => {
                    clearTimeout(timer);
                    resolve();
                });
                socket.emit(ConnectionManagementMessages.INITIAL_CONNECT, crypto.randomUUID());
            });
        } catch (error) {
            // A refused or unanswered connection is closed: a test's failure must not leave it open.
            socket.disconnect();
            throw error;
        }
        const channel = new ForwardingChannel('any', () => socket.off('message'), () => {
            const buffer = new Uint8ArrayWriteBuffer();
            buffer.onCommit(data => socket.send(data));
            return buffer;
        });
        socket.on('message', (data: Uint8Array) => channel.onMessageEmitter.fire(() => new Uint8ArrayReadBuffer(data)));
        return new StudioRpcClient(socket, new ChannelMultiplexer(channel));
    }

    protected readonly services = new Map<string, Promise<object>>();

    /** A proxy of the backend service at `path` (one channel per path, as in the IDE); `client` receives its callbacks. */
    service<T extends object>(path: string, client: object = ignoringClient): Promise<T> {
        let service = this.services.get(path);
        if (!service) {
            service = this.multiplexer.open(path).then(channel => {
                const factory = new RpcProxyFactory<T>(client);
                factory.listen(channel);
                return factory.createProxy() as unknown as T;
            });
            this.services.set(path, service);
        }
        return service as Promise<T>;
    }

    close(): void {
        this.socket.disconnect();
    }
}

/** A client that takes every callback the backend makes (events it pushes) and ignores it. */
const ignoringClient: object = new Proxy({}, {
    get: (_target, property) => property === 'then' ? undefined : () => undefined,
});
