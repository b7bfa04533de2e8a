import { BadRequestError, JsonRequest, mountJsonApi, RequestUsers, WorkspaceCoreHost } from '@coditect/studio-platform/node';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import type * as express from '@theia/core/shared/express';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CheckpointRestoreResult, CHECKPOINTS_HTTP_PATH } from '../common/change-review-protocol';

/**
 * The workspace's checkpoints over HTTP:
 *
 *   GET  /coditect/api/checkpoints?limit=<n>         -> { checkpoints }, newest first
 *   POST /coditect/api/checkpoints/:id/restore  { path? }
 *        -> 200 every file put back, with the checkpoint that undoes it; 409 (same body) when a
 *           file could not be (too large to have been kept, or kept busy by a lock holder)
 *
 * A restore acts as the request's principal, under each file's lock, and is audited.
 */
@injectable()
export class CheckpointHttpEndpoint implements BackendApplicationContribution {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    @inject(RequestUsers)
    protected readonly users: RequestUsers;

    configure(app: express.Application): void {
        mountJsonApi(app, {
            basePath: CHECKPOINTS_HTTP_PATH, bodyLimit: '4kb', bodyExample: '{"path":"src/a.ts"}',
            routes: [
                { method: 'GET', path: '/', action: 'workspace.read', handle: ({ request, core }) => ({ status: 200, body: { checkpoints: core.checkpoints.list(limitOf(request.query.limit)) } }) },
                { method: 'POST', path: '/:id/restore', action: 'checkpoint.restore', handle: input => this.restore(input) },
            ],
        }, { coreHost: this.coreHost, users: this.users });
    }

    protected async restore({ request, core, principal }: JsonRequest): Promise<{ status: number; body: CheckpointRestoreResult }> {
        const id = Number(request.params.id);
        if (!Number.isSafeInteger(id) || id < 1) {
            throw new BadRequestError(`"${request.params.id}" is not a checkpoint id; use a checkpoint's number, as GET ${CHECKPOINTS_HTTP_PATH} lists them.`);
        }
        const result = await core.checkpoints.restore({ checkpointId: id, path: request.body?.path }, { id: principal.id, displayName: principal.displayName });
        return { status: result.files.some(f => f.outcome === 'skipped' || f.outcome === 'failed') ? 409 : 200, body: result };
    }
}

function limitOf(value: unknown): number | undefined {
    if (value === undefined) {
        return undefined;
    }
    const n = Number(value);
    if (typeof value !== 'string' || !Number.isSafeInteger(n) || n < 1) {
        throw new BadRequestError(`"limit" must be a positive whole number; got ${JSON.stringify(value)}.`);
    }
    return n;
}
