import type * as http from 'node:http';
import { personPrincipal, Principal, servicePrincipal } from '@coditect/workspace-backend';
import { injectable } from '@theia/core/shared/inversify';
import { StudioUser } from '../../common/studio-user';

/**
 * Who is behind each HTTP request and websocket handshake, as its verified credential says:
 * recorded by the authentication middleware and websocket validator, read by the routes and
 * connections behind them. Keyed weakly by the request object, so an entry lives exactly as
 * long as its request (or its websocket's handshake) does.
 *
 * Three kinds of credential are recorded: a person's (the local token or a JWT; `set`), which is
 * both a `StudioUser` and `personPrincipal(user)`; an agent token (`setAgent`, only on HTTP
 * routes under /coditect/api/), which is a principal and never a `StudioUser`, so nothing that
 * asks for the person (the IDE's connections, `/health`'s detail) mistakes an agent for one; and
 * a terminal's token (`setTerminalPerson`, on the same routes only), which is the person who
 * opened that terminal. A fourth, the metrics scrape token (`setScraper`, on /metrics only), is the
 * studio's own monitoring: a service principal, never a person.
 */
/** How a request proved who it is: a person's sign-in (session, local token, JWT), an agent token, or a terminal's token. */
export type CredentialKind = 'sign-in' | 'agent-token' | 'terminal' | 'scrape-token';

@injectable()
export class RequestUsers {
    protected readonly entries = new WeakMap<http.IncomingMessage, { readonly principal: Principal; readonly user?: StudioUser; readonly via: CredentialKind }>();

    set(request: http.IncomingMessage, user: StudioUser): void {
        this.entries.set(request, { principal: personPrincipal(user), user, via: 'sign-in' });
    }

    /** An agent authenticated by its agent token. */
    setAgent(request: http.IncomingMessage, principal: Principal): void {
        if (principal.kind !== 'agent') {
            throw new Error(`setAgent records agents only, not the ${principal.kind} ${principal.id}`);
        }
        this.entries.set(request, { principal, via: 'agent-token' });
    }

    /** The person who opened a terminal, authenticated by that terminal's token (the `coditect` CLI). */
    setTerminalPerson(request: http.IncomingMessage, principal: Principal): void {
        if (principal.kind !== 'person') {
            throw new Error(`setTerminalPerson records people only, not the ${principal.kind} ${principal.id}`);
        }
        this.entries.set(request, { principal, user: { id: principal.id, displayName: principal.displayName, role: principal.role }, via: 'terminal' });
    }

    /** Prometheus, authenticated by the scrape token (STUDIO_METRICS_TOKEN) on /metrics. */
    setScraper(request: http.IncomingMessage): void {
        this.entries.set(request, { principal: servicePrincipal('metrics-scrape'), via: 'scrape-token' });
    }

    /** How the request's credential was presented. */
    via(request: http.IncomingMessage): CredentialKind | undefined {
        return this.entries.get(request)?.via;
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
