import { injectable } from '@theia/core/shared/inversify';
import { RpcEntryPoints } from '../per-connection-rpc-service';
import { HttpEntryPoints } from './http-entry-points';
import type { JsonApi } from './json-api';
import { JsonApiEndpoint } from './json-api-endpoint';

export const ENTRY_POINTS_HTTP_PATH = '/coditect/api/entry-points';

/**
 * GET /coditect/api/entry-points, for admins: the studio's whole surface as this backend serves
 * it, every RPC method and HTTP route with the policy action (or access) that guards it. For a
 * security review, and what the entry-point coverage test checks against the running studio.
 */
@injectable()
export class EntryPointsEndpoint extends JsonApiEndpoint {

    protected api(): JsonApi {
        return {
            basePath: ENTRY_POINTS_HTTP_PATH, bodyLimit: '1kb', bodyExample: '{}',
            routes: [{
                method: 'GET', path: '/', action: 'health.detail',
                handle: () => ({ status: 200, body: { rpc: RpcEntryPoints, http: HttpEntryPoints } }),
            }],
        };
    }
}
