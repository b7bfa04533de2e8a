import type { Application } from '@theia/core/shared/express';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { inject, injectable } from '@theia/core/shared/inversify';
import { SESSION_INFO_PATH } from '../../common/session-protocol';
import { RequestUsers } from './request-users';

/**
 * GET /coditect/session: who the request's credential or session stands for. Behind the
 * authentication middleware like every route, so an ended session gets its 401 here; the IDE asks
 * when its websocket drops, to tell "signed out or expired" (go to sign in) from "backend restarting" (wait).
 */
@injectable()
export class SessionEndpoint implements BackendApplicationContribution {

    @inject(RequestUsers) protected readonly users: RequestUsers;

    configure(app: Application): void {
        app.get(SESSION_INFO_PATH, (req, res) => {
            res.setHeader('Cache-Control', 'no-store');
            res.json(this.users.require(req));
        });
    }
}
