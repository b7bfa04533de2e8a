import { personPrincipal, type Disposable, type RpcPolicy, type WorkspaceCore } from '@coditect/workspace-backend';
import { CoreConnectionService, StudioUserProvider } from '@coditect/studio-platform/node';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import {
    ChangeComment, ChangeContent, ChangeReviewClient, ChangeReviewService, ChangeSetDetail, ChangeSetQuery, ChangeSetSummary, CheckpointInfo,
    CheckpointRestoreRequest, CheckpointRestoreResult, CommentRequest, LineOrigin, ReviewRequest, ReviewResult,
} from '../common/change-review-protocol';

/** The action of each method (policy/entry-policy.ts). */
export const ChangeReviewServicePolicy: RpcPolicy<ChangeReviewService> = {
    list: 'workspace.read', get: 'workspace.read', content: 'workspace.read', rootUri: 'workspace.read', review: 'change.review', comment: 'task.submit',
    checkpoints: 'workspace.read', restoreCheckpoint: 'checkpoint.restore', lineOrigins: 'workspace.read',
    setClient: 'connection', getClient: 'connection', dispose: 'connection',
};

/** One per browser connection: the change sets, and reviews as that connection's user. */
@injectable()
export class ChangeReviewServiceImpl extends CoreConnectionService<ChangeReviewClient> implements ChangeReviewService {

    @inject(StudioUserProvider)
    protected readonly users: StudioUserProvider;

    protected subscribe(core: WorkspaceCore): Disposable[] {
        return [
            core.changes.onDidChange(event => this.client?.onChangeSetsChanged(event)),
            core.orchestrator.onEvent(event => {
                if (event.type === 'task' && event.change !== 'queued' && event.change !== 'reprioritised') {
                    this.client?.onTaskStatusChanged(event.task.id, event.task.status);
                }
            }),
        ];
    }

    async list(query?: ChangeSetQuery): Promise<ChangeSetSummary[]> {
        return (await this.core()).changes.list(query);
    }

    async get(taskId: number): Promise<ChangeSetDetail> {
        return (await this.core()).changes.get(taskId);
    }

    async content(taskId: number, path: string, side: 'before' | 'after'): Promise<ChangeContent> {
        const content = (await this.core()).changes.content(taskId, path, side);
        return { exists: content !== undefined, content: content ?? '' };
    }

    async rootUri(): Promise<string> {
        return FileUri.create((await this.core()).config.workspaceDir).toString();
    }

    async review(request: ReviewRequest): Promise<ReviewResult> {
        return (await this.core()).changes.review(request, this.reviewer());
    }

    async comment(request: CommentRequest): Promise<ChangeComment> {
        return (await this.core()).changes.comment(request, this.reviewer());
    }

    async checkpoints(): Promise<CheckpointInfo[]> {
        return (await this.core()).checkpoints.list();
    }

    async restoreCheckpoint(request: CheckpointRestoreRequest): Promise<CheckpointRestoreResult> {
        return (await this.core()).checkpoints.restore(request, this.reviewer());
    }

    async lineOrigins(path: string): Promise<LineOrigin[] | undefined> {
        return (await this.core()).checkpoints.lineOrigins(path);
    }

    protected reviewer(): { id: string; displayName: string } {
        const principal = personPrincipal(this.users.currentUser());
        return { id: principal.id, displayName: principal.displayName };
    }
}
