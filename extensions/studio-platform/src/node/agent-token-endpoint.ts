import { injectable } from '@theia/core/shared/inversify';
import type { JsonApi } from './http/json-api';
import { JsonApiEndpoint } from './http/json-api-endpoint';

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
 * appears: it is sent with `Cache-Control: no-store` (every JSON API answer is) and is not logged.
 */
@injectable()
export class AgentTokenEndpoint extends JsonApiEndpoint {

    protected api(): JsonApi {
        return {
            basePath: TOKENS_HTTP_PATH, bodyLimit: '16kb', bodyExample: '{"agentId":"my-bot"}',
            routes: [
                {
                    method: 'POST', path: '/', action: 'token.manage', handle: ({ request, core, principal }) => {
                        const body = (request.body ?? {}) as Record<string, unknown>;
                        return {
                            status: 201, body: core.tokens.issue(principal, {
                                agentId: body.agentId as string, label: body.label as string | undefined,
                                displayName: body.displayName as string | undefined, expiresInDays: body.expiresInDays as number | undefined,
                            }),
                        };
                    },
                },
                {
                    method: 'GET', path: '/', action: 'token.manage', handle: ({ request, core, principal }) => {
                        const agentId = typeof request.query.agentId === 'string' ? request.query.agentId : undefined;
                        return { status: 200, body: { tokens: core.tokens.list(principal, { agentId }) } };
                    },
                },
                { method: 'DELETE', path: '/:id', action: 'token.manage', handle: ({ request, core, principal }) => ({ status: 200, body: core.tokens.revoke(principal, request.params.id) }) },
            ],
        };
    }
}
