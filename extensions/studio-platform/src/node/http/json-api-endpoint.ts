import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import type * as express from '@theia/core/shared/express';
import { inject, injectable } from '@theia/core/shared/inversify';
import { RequestUsers } from '../auth/request-users';
import { WorkspaceCoreHost } from '../workspace-core-host';
import { JsonApi, mountJsonApi } from './json-api';

/** A backend contribution that serves one JSON API (`api()`) the studio's one way (`mountJsonApi`), over its core and request users. */
@injectable()
export abstract class JsonApiEndpoint implements BackendApplicationContribution {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    @inject(RequestUsers)
    protected readonly users: RequestUsers;

    configure(app: express.Application): void {
        mountJsonApi(app, this.api(), { coreHost: this.coreHost, users: this.users });
    }

    /** The API: its base path, body limit and routes. */
    protected abstract api(): JsonApi;
}
