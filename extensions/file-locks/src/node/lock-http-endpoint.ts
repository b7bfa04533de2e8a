import {
    DeadlockError, LockMode, LockOwner, LockPermissionError, LockRevokedError, LockTimeoutError, UnknownLockError, WorkspacePathError,
} from '@coditect/workspace-backend';
import { WorkspaceCoreHost } from '@coditect/studio-core/lib/node/workspace-core-host';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import * as express from '@theia/core/shared/express';
import { inject, injectable } from '@theia/core/shared/inversify';

export const LOCKS_HTTP_PATH = '/coditect/api/locks';

class BadRequest extends Error { }

/**
 * Locks over HTTP, for agents that run outside the studio's orchestrator (a CLI agent in the
 * terminal, a hook, a script) so they coordinate with the studio's agents and people:
 *
 *   GET    /coditect/api/locks                          -> { locks, waiters }
 *   POST   /coditect/api/locks  { path, mode, owner: { id, displayName }, ttlMs?, waitMs? }  -> 201 lock
 *   POST   /coditect/api/locks/:id/renew  { ownerId }   -> lock
 *   DELETE /coditect/api/locks/:id?ownerId=...          -> 204
 *
 * Owners that come in over HTTP are always agents: a person's locks come from their editor.
 */
@injectable()
export class LockHttpEndpoint implements BackendApplicationContribution {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    configure(app: express.Application): void {
        const router = express.Router();
        router.use(express.json({ limit: '64kb' }));
        router.get('/', this.handle(async () => {
            const { locks } = await this.coreHost.ready;
            return { status: 200, body: { locks: locks.list(), waiters: locks.waiters() } };
        }));
        router.post('/', this.handle(async req => {
            const { locks } = await this.coreHost.ready;
            const body = req.body ?? {};
            const lock = await locks.acquire({
                path: this.string(body.path, 'path'),
                mode: this.mode(body.mode),
                owner: this.owner(body.owner),
                ttlMs: this.optionalNumber(body.ttlMs, 'ttlMs'),
                waitMs: this.optionalNumber(body.waitMs, 'waitMs') ?? 0,
                taskId: typeof body.taskId === 'string' ? body.taskId : undefined,
            });
            return { status: 201, body: lock };
        }));
        router.post('/:id/renew', this.handle(async req => {
            const { locks } = await this.coreHost.ready;
            const ownerId = this.string(req.body?.ownerId, 'ownerId');
            const lock = locks.get(req.params.id);
            return { status: 200, body: locks.renew(req.params.id, lock?.owner.id === ownerId ? lock.owner : { id: ownerId, kind: 'agent', displayName: ownerId }) };
        }));
        router.delete('/:id', this.handle(async req => {
            const { locks } = await this.coreHost.ready;
            const ownerId = this.string(req.query.ownerId, 'ownerId (query parameter)');
            const lock = locks.get(req.params.id);
            locks.release(req.params.id, lock?.owner.id === ownerId ? lock.owner : { id: ownerId, kind: 'agent', displayName: ownerId });
            return { status: 204, body: undefined };
        }));
        app.use(LOCKS_HTTP_PATH, router);
    }

    protected handle(fn: (req: express.Request) => Promise<{ status: number; body: unknown }>): express.RequestHandler {
        return (req, res) => {
            fn(req).then(({ status, body }) => {
                res.status(status);
                return body === undefined ? res.end() : res.json(body);
            }, error => {
                const status = error instanceof BadRequest || error instanceof WorkspacePathError || error instanceof RangeError ? 400
                    : error instanceof UnknownLockError ? 404
                        : error instanceof LockPermissionError ? 403
                            : error instanceof LockRevokedError ? 410
                                : error instanceof LockTimeoutError || error instanceof DeadlockError ? 409
                                    : 500;
                const holders = error instanceof LockTimeoutError ? error.holders : undefined;
                res.status(status).json({ error: error instanceof Error ? error.message : String(error), holders });
            });
        };
    }

    protected string(value: unknown, name: string): string {
        if (typeof value !== 'string' || value.length === 0) {
            throw new BadRequest(`"${name}" is required and must be a non-empty string.`);
        }
        return value;
    }

    protected optionalNumber(value: unknown, name: string): number | undefined {
        if (value === undefined) {
            return undefined;
        }
        if (typeof value !== 'number' || !Number.isFinite(value)) {
            throw new BadRequest(`"${name}" must be a number of milliseconds.`);
        }
        return value;
    }

    protected mode(value: unknown): LockMode {
        if (value !== 'shared' && value !== 'exclusive') {
            throw new BadRequest('"mode" must be "shared" (read) or "exclusive" (write).');
        }
        return value;
    }

    protected owner(value: unknown): LockOwner {
        const owner = value as { id?: unknown; displayName?: unknown } | undefined;
        const id = this.string(owner?.id, 'owner.id');
        const displayName = typeof owner?.displayName === 'string' && owner.displayName ? owner.displayName : id;
        return { id: id.startsWith('agent:') ? id : `agent:${id}`, kind: 'agent', displayName };
    }
}
