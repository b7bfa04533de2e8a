import type * as http from 'node:http';
import { MessagingListenerContribution } from '@theia/core/lib/node/messaging/messaging-listeners';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { SessionStore } from './session-store';

/** What is needed of a socket.io socket: closing it, and hearing that it closed. */
export interface SessionSocket {
    disconnect(close?: boolean): unknown;
    once(event: 'disconnect', listener: () => void): unknown;
}

/**
 * The websockets each browser session opened (those whose handshake was let in by the session
 * cookie), so that a session that ends (sign-out, expiry) also closes them: an open IDE tab must not
 * keep acting as someone who signed out. Invariant: a websocket whose session has ended by the
 * time socket.io hands it over is closed at once, so no ending can slip between handshake and upgrade.
 */
@injectable()
export class SessionSockets implements MessagingListenerContribution {

    @inject(SessionStore) protected readonly store: SessionStore;

    /** The session each handshake request was let in by; weak, as the request's life is the socket's. */
    protected readonly sessionOfRequest = new WeakMap<http.IncomingMessage, string>();
    protected readonly socketsOfSession = new Map<string, Set<SessionSocket>>();

    @postConstruct()
    protected init(): void {
        this.store.onDidEnd(({ idHash }) => this.closeAll(idHash));
    }

    /** Called by the handshake validator for a handshake the session `idHash` let in. */
    attach(request: http.IncomingMessage, idHash: string): void {
        this.sessionOfRequest.set(request, idHash);
    }

    onDidWebSocketUpgrade(request: http.IncomingMessage, socket: SessionSocket): void {
        const idHash = this.sessionOfRequest.get(request);
        if (idHash === undefined) {
            return;
        }
        if (!this.store.isLive(idHash)) {
            socket.disconnect(true);
            return;
        }
        let sockets = this.socketsOfSession.get(idHash);
        if (!sockets) {
            sockets = new Set();
            this.socketsOfSession.set(idHash, sockets);
        }
        sockets.add(socket);
        socket.once('disconnect', () => {
            sockets.delete(socket);
            if (sockets.size === 0 && this.socketsOfSession.get(idHash) === sockets) {
                this.socketsOfSession.delete(idHash);
            }
        });
    }

    /** How many websockets the session has open (for tests and diagnostics). */
    openCount(idHash: string): number {
        return this.socketsOfSession.get(idHash)?.size ?? 0;
    }

    protected closeAll(idHash: string): void {
        const sockets = this.socketsOfSession.get(idHash);
        this.socketsOfSession.delete(idHash);
        for (const socket of sockets ?? []) {
            socket.disconnect(true);
        }
    }
}
