import type { Grant } from '@coditect/workspace-backend/types';
import type { StudioUser } from './studio-user';

/** Who the browser's session stands for (`StudioUser`), or 401 once it has ended. Relative to the studio's base URL. */
export const SESSION_INFO_PATH = '/coditect/session';
/** POST ends the browser's session and clears its cookie (303 to the sign-in page). */
export const SIGN_OUT_PATH = '/logout';
/** The sign-in page. */
export const SIGN_IN_PATH = '/login';

/**
 * What GET SESSION_INFO_PATH answers: the person, and their column of the policy table (action →
 * grant), so the IDE offers only what the policy would allow (`grantAllows`); the backend still
 * decides every call.
 */
export interface SessionInfo extends StudioUser {
    readonly grants: Readonly<Record<string, Grant>>;
}
