import * as os from 'node:os';
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
 * The embedded default is one person on their own machine: the operating system's user, with the
 * admin role. Authenticated deployments bind a provider that reads the verified token instead.
 */
@injectable()
export class LocalStudioUserProvider implements StudioUserProvider {
    protected readonly user: StudioUser = {
        id: `user:${os.userInfo().username}`,
        displayName: os.userInfo().username,
        role: 'admin',
    };

    currentUser(): StudioUser {
        return this.user;
    }
}
