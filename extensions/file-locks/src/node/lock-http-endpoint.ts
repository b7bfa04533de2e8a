import {
    describePrincipal, LockInfo, LockMode, lockOwnerOfPrincipal, PolicyAction, Principal, WorkspaceCore,
} from '@coditect/workspace-backend';
import { BadRequestError, ForbiddenRequestError, JsonApi, JsonApiEndpoint, JsonRequest, optionalNumber, optionalString, requiredString } from '@coditect/studio-platform/node';
import { injectable } from '@theia/core/shared/inversify';

export const LOCKS_HTTP_PATH = '/coditect/api/locks';

const Milliseconds = 'a number of milliseconds';

/** A refusal this endpoint decides (acting as someone else): 403, and written to the audit log. */
class ActingAsOtherError extends ForbiddenRequestError { }

/**
 * Locks over HTTP, for agents that run outside the studio's orchestrator (a CLI agent in the
 * terminal, a hook, a script; each with an agent token an admin issued) and for people's scripts
 * (with their own credential), so they coordinate with the studio's agents and people:
 *
 *   GET    /coditect/api/locks                                  -> { locks, waiters }
 *   POST   /coditect/api/locks  { path, mode, ttlMs?, waitMs?, priority?, taskId? }  -> 201 lock
 *   POST   /coditect/api/locks/:id/renew  { ttlMs? }            -> lock
 *   DELETE /coditect/api/locks/:id                              -> 204
 *   DELETE /coditect/api/locks/:id?force=1&reason=...           -> 200 the lock taken away
 *
 * Invariant: every lock is taken, renewed and released as the request's principal (what its
 * credential says, recorded by the authentication middleware): a person holds locks in their own
 * name, an agent token as `agent:<id>`. Nothing in the request chooses the owner. For clients of
 * the earlier API, a body `owner` and an `ownerId` (body or query) are still read, and must name
 * the principal itself; naming anyone else is refused (403, audited), saying who the credential
 * is. Taking someone else's lock is only ever a force-release, which the policy decides and audits.
 */
@injectable()
export class LockHttpEndpoint extends JsonApiEndpoint {

    protected api(): JsonApi {
        return {
            basePath: LOCKS_HTTP_PATH, bodyLimit: '64kb', bodyExample: '{"path":"src/a.ts","mode":"exclusive"}',
            routes: [
                { method: 'GET', path: '/', action: 'workspace.read', handle: ({ core }) => ({ status: 200, body: { locks: core.locks.list(), waiters: core.locks.waiters() } }) },
                { method: 'POST', path: '/', action: 'lock.acquire', handle: input => this.acquire(input) },
                { method: 'POST', path: '/:id/renew', action: 'lock.renew', handle: input => this.renew(input) },
                // `lock.release` at the gate: everyone may release their own; a force-release is decided by the policy in the lock manager.
                { method: 'DELETE', path: '/:id', action: 'lock.release', handle: input => this.release(input) },
            ],
        };
    }

    protected async acquire({ request, core, principal }: JsonRequest): Promise<{ status: number; body: LockInfo }> {
        const body = request.body ?? {};
        const path = requiredString(body.path, 'path');
        this.assertActsAsItself(core, principal, 'lock.acquire', path, this.claimedOwner(body.owner, 'owner.id'));
        const lock = await core.locks.acquire({
            path,
            mode: this.mode(body.mode),
            owner: lockOwnerOfPrincipal(principal),
            ttlMs: optionalNumber(body.ttlMs, 'ttlMs', Milliseconds),
            waitMs: optionalNumber(body.waitMs, 'waitMs', Milliseconds) ?? 0,
            priority: optionalNumber(body.priority, 'priority'),
            taskId: optionalString(body.taskId, 'taskId'),
        });
        return { status: 201, body: lock };
    }

    protected renew({ request, core, principal }: JsonRequest): { status: number; body: LockInfo } {
        const id = request.params.id;
        this.assertActsAsItself(core, principal, 'lock.renew', `lock ${id}`, this.claimedOwnerId(request.body?.ownerId, 'ownerId'));
        this.assertOwn(core, principal, 'lock.renew', core.locks.get(id));
        return { status: 200, body: core.locks.renew(id, lockOwnerOfPrincipal(principal), optionalNumber(request.body?.ttlMs, 'ttlMs', Milliseconds)) };
    }

    protected release({ request, core, principal }: JsonRequest): { status: number; body?: LockInfo } {
        const id = request.params.id;
        if (request.query.force !== undefined) {
            if (request.query.force !== '1' && request.query.force !== 'true') {
                throw new BadRequestError('"force" must be 1 (take the lock from its holder) or left out (release your own).');
            }
            const reason = requiredString(request.query.reason, 'reason (query parameter: why you take it; the holder is told)');
            // The policy decides (an admin any lock, a person an agent's, a holder its own) and audits.
            return { status: 200, body: core.locks.forceRelease(id, principal, reason) };
        }
        this.assertActsAsItself(core, principal, 'lock.release', `lock ${id}`, this.claimedOwnerId(request.query.ownerId, 'ownerId (query parameter)'));
        this.assertOwn(core, principal, 'lock.release', core.locks.get(id));
        core.locks.release(id, lockOwnerOfPrincipal(principal));
        return { status: 204 };
    }

    /**
     * A request that names an owner (earlier clients did) must name its own principal. Anyone else
     * is refused and the attempt audited: it is someone trying to act under another's name.
     */
    protected assertActsAsItself(core: WorkspaceCore, principal: Principal, action: PolicyAction, target: string, claimed: string | undefined): void {
        if (claimed === undefined || claimed === principal.id || (principal.kind === 'agent' && `agent:${claimed}` === principal.id)) {
            return;
        }
        const message = `This credential is ${describePrincipal(principal)} (${principal.id}); it acts only in its own name, not as "${claimed}". `
            + 'Leave "owner" and "ownerId" out: locks are taken, renewed and released as whoever the credential is. '
            + 'An agent outside the studio uses an agent token an admin issued for it (POST /coditect/api/tokens).';
        this.audit(core, principal, action, target, `tried to act as ${claimed}`);
        throw new ActingAsOtherError(message);
    }

    /** Renew and release act only on the principal's own locks (the policy's `own`); a refusal is audited and says how to take it instead. */
    protected assertOwn(core: WorkspaceCore, principal: Principal, action: 'lock.renew' | 'lock.release', lock: LockInfo | undefined): void {
        if (!lock) {
            return; // The lock manager answers: unknown (404), or revoked with the reason (410).
        }
        const decision = core.policy.decide(principal, action, {
            target: lock.path || '/', ownerId: lock.owner.id, ownerKind: lock.owner.kind === 'human' ? 'person' : 'agent',
        });
        if (decision.allowed) {
            return;
        }
        this.audit(core, principal, action, lock.path || '/', `${lock.owner.id}'s lock ${lock.id}: ${decision.reason}`);
        throw new ActingAsOtherError(`${decision.reason} It is held by ${lock.owner.displayName} (${lock.owner.id}). `
            + `To take it anyway, force-release it: DELETE ${LOCKS_HTTP_PATH}/${lock.id}?force=1&reason=<why> `
            + '(a person may force-release an agent\'s lock, an admin anyone\'s; it is audited and the holder is told why).');
    }

    protected audit(core: WorkspaceCore, principal: Principal, action: PolicyAction, target: string, detail: string): void {
        try {
            core.audit.record({ userId: principal.id, userName: principal.displayName, action, target, outcome: 'refused', detail });
        } catch (error) {
            console.error(`[studio] could not write the audit log: ${error instanceof Error ? error.message : String(error)}`);
        }
    }

    protected claimedOwner(value: unknown, name: string): string | undefined {
        if (value === undefined || value === null) {
            return undefined;
        }
        return requiredString((value as { id?: unknown }).id, name);
    }

    protected claimedOwnerId(value: unknown, name: string): string | undefined {
        return value === undefined ? undefined : requiredString(value, name);
    }

    protected mode(value: unknown): LockMode {
        if (value !== 'shared' && value !== 'exclusive') {
            throw new BadRequestError('"mode" must be "shared" (read) or "exclusive" (write).');
        }
        return value;
    }
}
