import type * as http from 'node:http';
import { injectable } from '@theia/core/shared/inversify';
import { StudioUser } from '../../common/studio-user';

/**
 * The verified person behind each HTTP request and websocket handshake, recorded by the
 * authentication middleware and websocket validator. Keyed weakly by the request object, so an
 * entry lives exactly as long as its request (or its websocket's handshake) does.
 */
@injectable()
export class RequestUsers {
    protected readonly users = new WeakMap<http.IncomingMessage, StudioUser>();

    set(request: http.IncomingMessage, user: StudioUser): void {
        this.users.set(request, user);
    }

    get(request: http.IncomingMessage): StudioUser | undefined {
        return this.users.get(request);
    }

    /** For HTTP routes behind the middleware: the user, or an error if the route was somehow reached without one. */
    require(request: http.IncomingMessage): StudioUser {
        const user = this.users.get(request);
        if (!user) {
            throw new Error('this request carries no verified user; it did not pass the studio\'s authentication');
        }
        return user;
    }
}
