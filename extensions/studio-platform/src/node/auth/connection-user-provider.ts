import type * as http from 'node:http';
import { MainChannel } from '@theia/core/lib/node/messaging/default-messaging-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { StudioUser } from '../../common/studio-user';
import { StudioUserProvider } from '../studio-user-provider';
import { RequestUsers } from './request-users';

/**
 * The person behind one browser connection, bound in that connection's container: the user the
 * websocket handshake was verified as (by `StudioAuthContribution.allowWsUpgrade`). After a
 * reconnect the new handshake's user is read; while disconnected, the last one.
 */
@injectable()
export class ConnectionStudioUserProvider implements StudioUserProvider {

    @inject(MainChannel) protected readonly channel: object;
    @inject(RequestUsers) protected readonly users: RequestUsers;

    protected last: StudioUser | undefined;

    currentUser(): StudioUser {
        const request = (this.channel as { socket?: { request?: http.IncomingMessage } }).socket?.request;
        const user = request && this.users.get(request);
        this.last = user ?? this.last;
        if (!this.last) {
            throw new Error('this connection has no verified user; reload the page to sign in again');
        }
        return this.last;
    }
}
