import { AgentTokenInputError, DatabaseUnavailableError, PolicyDeniedError, UnknownAgentTokenError } from '@coditect/workspace-backend';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import * as express from '@theia/core/shared/express';
import { inject, injectable } from '@theia/core/shared/inversify';
import { RequestUsers } from './auth/request-users';
import { WorkspaceCoreHost } from './workspace-core-host';

export const TOKENS_HTTP_PATH = '/coditect/api/tokens';

/**
 * Agent tokens over HTTP, for admins (the policy's `token.manage`, audited, allowed or refused):
 *
 *   POST   /coditect/api/tokens  { agentId, label?, displayName?, expiresInDays? }  -> 201 { id, token, agentId, ... }
 *   GET    /coditect/api/tokens[?agentId=...]                                        -> { tokens: [...] }   (never a secret)
 *   DELETE /coditect/api/tokens/:id                                                  -> 200 the revoked token
 *
 * Who asks is the request's principal, as the authentication middleware verified it; nothing in
 * the request names the actor. The answer to a creation is the only place a token's secret ever
 * appears: it is sent with `Cache-Control: no-store` and is not logged.
 */
@injectable()
export class AgentTokenEndpoint implements BackendApplicationContribution {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    @inject(RequestUsers)
    protected readonly users: RequestUsers;

    configure(app: express.Application): void {
        const router = express.Router();
        router.use(express.json({ limit: '16kb' }));
        router.post('/', this.handle(async (req, core) => {
            const body = (req.body ?? {}) as Record<string, unknown>;
            const issued = core.tokens.issue(this.users.requirePrincipal(req), {
                agentId: body.agentId as string, label: body.label as string | undefined,
                displayName: body.displayName as string | undefined, expiresInDays: body.expiresInDays as number | undefined,
            });
            return { status: 201, body: issued };
        }));
        router.get('/', this.handle(async (req, core) => {
            const agentId = typeof req.query.agentId === 'string' ? req.query.agentId : undefined;
            return { status: 200, body: { tokens: core.tokens.list(this.users.requirePrincipal(req), { agentId }) } };
        }));
        router.delete('/:id', this.handle(async (req, core) => ({ status: 200, body: core.tokens.revoke(this.users.requirePrincipal(req), req.params.id) })));
        router.use(((error, _req, res, _next) => {
            // express.json's own failures (malformed JSON, too large) arrive here with their status.
            const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 400;
            res.status(status).json({ error: `The request body must be a JSON object such as {"agentId":"my-bot"}: ${(error as Error).message}` });
        }) as express.ErrorRequestHandler);
        app.use(TOKENS_HTTP_PATH, router);
    }

    protected handle(fn: (req: express.Request, core: Awaited<WorkspaceCoreHost['ready']>) => Promise<{ status: number; body: unknown }>): express.RequestHandler {
        return (req, res) => {
            res.set('Cache-Control', 'no-store');
            this.coreHost.ready.then(core => fn(req, core)).then(({ status, body }) => {
                res.status(status).json(body);
            }, error => {
                const status = error instanceof PolicyDeniedError ? 403
                    : error instanceof AgentTokenInputError ? 400
                        : error instanceof UnknownAgentTokenError ? 404
                            : error instanceof DatabaseUnavailableError ? 503
                                : 500;
                res.status(status).json({ error: error instanceof Error ? error.message : String(error) });
            });
        };
    }
}
