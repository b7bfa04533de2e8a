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
 * admin role unless `STUDIO_USER_ROLE=developer` (to try the studio as a developer sees it).
 * Authenticated deployments bind a provider that reads the verified token instead.
 */
@injectable()
export class LocalStudioUserProvider implements StudioUserProvider {
    protected readonly user: StudioUser = {
        id: `user:${os.userInfo().username}`,
        displayName: os.userInfo().username,
        role: localRole(process.env.STUDIO_USER_ROLE),
    };

    currentUser(): StudioUser {
        return this.user;
    }
}

function localRole(value: string | undefined): StudioUser['role'] {
    if (value === undefined || value === '' || value === 'admin') {
        return 'admin';
    }
    if (value === 'developer') {
        return 'developer';
    }
    throw new Error(`STUDIO_USER_ROLE must be "admin" or "developer", not "${value}".`);
}
