import type * as http from 'node:http';
import { personPrincipal, Principal } from '@coditect/workspace-backend';
import { injectable } from '@theia/core/shared/inversify';
import { StudioUser } from '../../common/studio-user';

/**
 * Who is behind each HTTP request and websocket handshake, as its verified credential says:
 * recorded by the authentication middleware and websocket validator, read by the routes and
 * connections behind them. Keyed weakly by the request object, so an entry lives exactly as
 * long as its request (or its websocket's handshake) does.
 *
 * Two kinds of credential are recorded: a person's (the local token or a JWT; `set`), which is
 * both a `StudioUser` and `personPrincipal(user)`, and an agent token (`setAgent`, only on HTTP
 * routes under /coditect/api/), which is a principal and never a `StudioUser`, so nothing that
 * asks for the person (the IDE's connections, `/health`'s detail) mistakes an agent for one.
 */
@injectable()
export class RequestUsers {
    protected readonly entries = new WeakMap<http.IncomingMessage, { readonly principal: Principal; readonly user?: StudioUser }>();

    set(request: http.IncomingMessage, user: StudioUser): void {
        this.entries.set(request, { principal: personPrincipal(user), user });
    }

    /** An agent authenticated by its agent token. */
    setAgent(request: http.IncomingMessage, principal: Principal): void {
        if (principal.kind !== 'agent') {
            throw new Error(`setAgent records agents only, not the ${principal.kind} ${principal.id}`);
        }
        this.entries.set(request, { principal });
    }

    /** The person, when a person's credential was verified for it. */
    get(request: http.IncomingMessage): StudioUser | undefined {
        return this.entries.get(request)?.user;
    }

    /** For HTTP routes behind the middleware that act for a person: the user, or an error if none was verified. */
    require(request: http.IncomingMessage): StudioUser {
        const user = this.get(request);
        if (!user) {
            throw new Error('this request carries no verified person; it did not pass the studio\'s authentication, or it came with an agent token');
        }
        return user;
    }

    /** Whoever the credential stands for: a person or an agent. */
    principal(request: http.IncomingMessage): Principal | undefined {
        return this.entries.get(request)?.principal;
    }

    /** For HTTP routes behind the middleware: the principal, or an error if the route was somehow reached without one. */
    requirePrincipal(request: http.IncomingMessage): Principal {
        const principal = this.principal(request);
        if (!principal) {
            throw new Error('this request carries no verified credential; it did not pass the studio\'s authentication');
        }
        return principal;
    }
}
