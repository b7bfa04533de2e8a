import type { Application } from '@theia/core/shared/express';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ActionRule, personPrincipal, PolicyActions, PolicyTable, subjectOf } from '@coditect/workspace-backend';
import { SESSION_INFO_PATH, SessionInfo } from '../../common/session-protocol';
import { mountHttpRoute } from '../http/http-entry-points';
import { RequestUsers } from './request-users';

/**
 * GET /coditect/session: who the request's credential or session stands for, with their grants (SessionInfo). Behind the
 * authentication middleware like every route, so an ended session gets its 401 here; the IDE asks
 * when its websocket drops, to tell "signed out or expired" (go to sign in) from "backend restarting" (wait).
 */
@injectable()
export class SessionEndpoint implements BackendApplicationContribution {

    @inject(RequestUsers) protected readonly users: RequestUsers;

    configure(app: Application): void {
        mountHttpRoute(app, { method: 'GET', path: SESSION_INFO_PATH, access: 'signed-in' }, (req, res) => {
            res.setHeader('Cache-Control', 'no-store');
            const user = this.users.require(req);
            const subject = subjectOf(personPrincipal(user));
            const grants = Object.fromEntries(PolicyActions.flatMap(action => {
                const grant = (PolicyTable[action] as ActionRule).grants[subject];
                return grant ? [[action, grant]] : [];
            }));
            const info: SessionInfo = { ...user, grants };
            res.json(info);
        });
    }
}
