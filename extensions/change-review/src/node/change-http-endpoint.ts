import { BadRequestError, JsonApi, JsonApiEndpoint, JsonRequest, positiveQueryNumber } from '@coditect/studio-platform/node';
import type * as express from '@theia/core/shared/express';
import { injectable } from '@theia/core/shared/inversify';
import { ChangeComment, CHANGES_HTTP_PATH, ChangeSetQuery, ReviewResult } from '../common/change-review-protocol';

/**
 * The tasks' change sets over HTTP, for scripts, CI and agents outside the studio:
 *
 *   GET  /coditect/api/changes?agent=<id>&before=<taskId>&limit=<n>  -> { changeSets }, newest first
 *   GET  /coditect/api/changes/:taskId                              -> the change set with each file's unified diff and hunks
 *   POST /coditect/api/changes/:taskId/review  { decision: "accept"|"reject", path?, hunk?, withSubtasks? }
 *        -> 200 the outcome of every file decided (with its sub-tasks': those of each in `subtasks`);
 *           409 (same body) when a file is in conflict
 *   POST /coditect/api/changes/:taskId/comments  { text, path?, hunk? }
 *        -> 201 the comment, with the follow-up task it became for the same agent
 *
 * A review or a comment acts as the request's principal, like the IDE's; nothing in the request chooses who.
 */
@injectable()
export class ChangeHttpEndpoint extends JsonApiEndpoint {

    protected api(): JsonApi {
        return {
            basePath: CHANGES_HTTP_PATH, bodyLimit: '16kb', bodyExample: '{"decision":"reject","path":"src/a.ts","hunk":0}',
            routes: [
                { method: 'GET', path: '/', action: 'workspace.read', handle: ({ request, core }) => ({ status: 200, body: { changeSets: core.changes.list(queryOf(request.query)) } }) },
                { method: 'GET', path: '/:taskId', action: 'workspace.read', handle: ({ request, core }) => ({ status: 200, body: core.changes.get(taskIdOf(request.params.taskId)) }) },
                { method: 'POST', path: '/:taskId/review', action: 'change.review', handle: input => this.review(input) },
                { method: 'POST', path: '/:taskId/comments', action: 'task.submit', handle: input => this.comment(input) },
            ],
        };
    }

    protected comment({ request, core, principal }: JsonRequest): { status: number; body: ChangeComment } {
        const body = request.body ?? {};
        const comment = core.changes.comment({ taskId: taskIdOf(request.params.taskId), text: body.text, path: body.path, hunk: body.hunk },
            { id: principal.id, displayName: principal.displayName });
        return { status: 201, body: comment };
    }

    protected async review({ request, core, principal }: JsonRequest): Promise<{ status: number; body: ReviewResult }> {
        const body = request.body ?? {};
        const result = await core.changes.review({
            taskId: taskIdOf(request.params.taskId), decision: body.decision, path: body.path, hunk: body.hunk, withSubtasks: body.withSubtasks === true,
        }, { id: principal.id, displayName: principal.displayName });
        const conflicted = [result, ...result.subtasks ?? []].some(each => each.files.some(f => f.outcome === 'conflict'));
        return { status: conflicted ? 409 : 200, body: result };
    }
}

function taskIdOf(text: string): number {
    const id = Number(text);
    if (!Number.isSafeInteger(id) || id < 1) {
        throw new BadRequestError(`"${text}" is not a task id; use a task's number, as GET ${CHANGES_HTTP_PATH} lists them.`);
    }
    return id;
}

function queryOf(query: express.Request['query']): ChangeSetQuery {
    const agent = query.agent;
    if (agent !== undefined && typeof agent !== 'string') {
        throw new BadRequestError('"agent" must be one agent id, such as claude.');
    }
    return { agentId: agent, beforeTaskId: positiveQueryNumber(query, 'before'), limit: positiveQueryNumber(query, 'limit') };
}
