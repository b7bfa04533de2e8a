import { injectable } from '@theia/core/shared/inversify';
import type { JsonApi } from './http/json-api';
import { JsonApiEndpoint } from './http/json-api-endpoint';

export const WHOAMI_HTTP_PATH = '/coditect/api/whoami';

/**
 * GET /coditect/api/whoami -> { id, displayName, kind, role?, via }: who the request's credential
 * stands for and how it was presented (`sign-in`, `agent-token`, `terminal`), so a script or the
 * `coditect` CLI can say in whose name it acts before it does.
 */
@injectable()
export class WhoamiEndpoint extends JsonApiEndpoint {

    protected api(): JsonApi {
        return {
            basePath: WHOAMI_HTTP_PATH, bodyLimit: '1kb', bodyExample: '{}',
            routes: [{
                method: 'GET', path: '/', action: 'workspace.read', handle: ({ request, principal }) => ({
                    status: 200, body: {
                        id: principal.id, displayName: principal.displayName, kind: principal.kind,
                        ...(principal.kind === 'person' ? { role: principal.role } : {}), via: this.users.via(request),
                    },
                }),
            }],
        };
    }
}
