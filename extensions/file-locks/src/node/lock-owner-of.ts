import { LockOwner, lockOwnerOfPrincipal, personPrincipal } from '@coditect/workspace-backend';
import { StudioUser } from '@coditect/studio-platform/common';

/** A studio user as a lock owner: humans hold locks in their own name. */
export const lockOwnerOf = (user: StudioUser): LockOwner => lockOwnerOfPrincipal(personPrincipal(user));
