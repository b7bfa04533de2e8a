import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import type * as express from '@theia/core/shared/express';
import { inject, injectable } from '@theia/core/shared/inversify';
import { RequestUsers } from '../auth/request-users';
import { RpcEntryPoints } from '../per-connection-rpc-service';
import { WorkspaceCoreHost } from '../workspace-core-host';
import { HttpEntryPoints } from './http-entry-points';
import { mountJsonApi } from './json-api';

export const ENTRY_POINTS_HTTP_PATH = '/coditect/api/entry-points';

/**
 * GET /coditect/api/entry-points, for admins: the studio's whole surface as this backend serves
 * it, every RPC method and HTTP route with the policy action (or access) that guards it. For a
 * security review, and what the entry-point coverage test checks against the running studio.
 */
@injectable()
export class EntryPointsEndpoint implements BackendApplicationContribution {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    @inject(RequestUsers)
    protected readonly users: RequestUsers;

    configure(app: express.Application): void {
        mountJsonApi(app, {
            basePath: ENTRY_POINTS_HTTP_PATH, bodyLimit: '1kb', bodyExample: '{}',
            routes: [{
                method: 'GET', path: '/', action: 'health.detail',
                handle: () => ({ status: 200, body: { rpc: RpcEntryPoints, http: HttpEntryPoints } }),
            }],
        }, { coreHost: this.coreHost, users: this.users });
    }
}
