import type * as http from 'node:http';
import { injectable } from '@theia/core/shared/inversify';
import { MessagingListenerContribution } from '@theia/core/lib/node/messaging/messaging-listeners';

/** What is needed of a socket.io socket: hearing that it closed. */
export interface ClosingSocket {
    once(event: 'disconnect', listener: () => void): unknown;
}

/**
 * The browser connections open to this studio (each tab has one websocket), and when that count
 * last changed: the people's side of the workspace's activity, which /health reports for the
 * fleet's auto-sleep (the agents' side is the core's `WorkspaceActivity`).
 */
@injectable()
export class ConnectionActivity implements MessagingListenerContribution {
    protected open = 0;
    protected changedAt = Date.now();

    onDidWebSocketUpgrade(_request: http.IncomingMessage, socket: ClosingSocket): void {
        this.open++;
        this.changedAt = Date.now();
        socket.once('disconnect', () => {
            this.open--;
            this.changedAt = Date.now();
        });
    }

    get connections(): number {
        return this.open;
    }

    /** Epoch ms: the last connection opened or closed (the backend's start before any). */
    get lastChangeAt(): number {
        return this.changedAt;
    }
}
