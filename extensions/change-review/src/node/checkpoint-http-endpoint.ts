import { BadRequestError, JsonApi, JsonApiEndpoint, JsonRequest, positiveQueryNumber } from '@coditect/studio-platform/node';
import { injectable } from '@theia/core/shared/inversify';
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
export class CheckpointHttpEndpoint extends JsonApiEndpoint {

    protected api(): JsonApi {
        return {
            basePath: CHECKPOINTS_HTTP_PATH, bodyLimit: '4kb', bodyExample: '{"path":"src/a.ts"}',
            routes: [
                { method: 'GET', path: '/', action: 'workspace.read', handle: ({ request, core }) => ({ status: 200, body: { checkpoints: core.checkpoints.list(positiveQueryNumber(request.query, 'limit')) } }) },
                { method: 'POST', path: '/:id/restore', action: 'checkpoint.restore', handle: input => this.restore(input) },
            ],
        };
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
