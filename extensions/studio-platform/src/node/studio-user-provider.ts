import { injectable } from '@theia/core/shared/inversify';
import { StudioUser } from '../common/studio-user';

export const StudioUserProvider = Symbol('StudioUserProvider');
/**
 * Who is using the studio. Services ask this rather than trusting anything the browser says about
 * itself, so that role checks live in the backend.
 */
export interface StudioUserProvider {
    currentUser(): StudioUser;
}

/**
 * The backend itself, for work no browser connection asked for (a Theia service writing a file on
 * its own). It is bound in the root container only: every connection's container binds
 * `ConnectionStudioUserProvider`, the verified person behind that connection. It has no admin
 * powers, so a service resolved in the wrong container by mistake fails safe.
 */
@injectable()
export class BackendStudioUserProvider implements StudioUserProvider {
    protected readonly user: StudioUser = { id: 'user:studio-backend', displayName: 'Studio backend', role: 'developer' };

    currentUser(): StudioUser {
        return this.user;
    }
}
