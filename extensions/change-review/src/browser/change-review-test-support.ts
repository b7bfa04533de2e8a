import { CommandRegistry, CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { ProgressService } from '@theia/core/lib/common/progress-service';
import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import { Container } from '@theia/core/shared/inversify';
import type { ChangeComment, ChangeSetDetail, ChangeSetSummary, CommentRequest, ReviewRequest, ReviewResult } from '../common/change-review-protocol';
import { ChangeReviewService } from '../common/change-review-protocol';
import { ChangeReviewClientImpl } from './change-review-client-impl';
import { ChangesModel } from './changes-model';
import { CheckpointRestorer } from './checkpoint-restorer';
import { RestoreConfirmation } from './restore-confirmation';

/*
 * Test code of the Changes view's specs: a change review backend that answers from fields a test
 * sets, and a container with the model and what it needs, whose messages, commands and answers
 * the test reads and sets.
 */

export const summary = (taskId: number, agentId: string): ChangeSetSummary => ({
    taskId, agentId, title: `task ${taskId}`, taskStatus: 'running', review: 'pending', createdAt: taskId, updatedAt: taskId, added: 1, removed: 1, comments: 0, overlapsWith: [],
    files: [{ path: 'src/a.ts', status: 'modified', origin: 'tool', added: 1, removed: 1, hunks: 1, review: 'pending', lastChangedAt: taskId }],
});

export const detail = (taskId: number): ChangeSetDetail => ({
    ...summary(taskId, 'claude'), commentList: [],
    files: [{
        ...summary(taskId, 'claude').files[0], diff: '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,1 +1,1 @@\n-old\n+new\n',
        hunkList: [{ index: 0, oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, review: 'pending' }],
    }],
});

/** A change review backend answering from fields the test sets, recording what it was asked. */
export class FakeChangeReviewService implements ChangeReviewService {
    sets: ChangeSetSummary[] = [summary(1, 'claude'), summary(2, 'gemini'), summary(3, 'claude')];
    nextResult: ReviewResult | Error = { taskId: 1, files: [], review: 'accepted' };
    readonly reviews: ReviewRequest[] = [];
    gets = 0;
    async list() { return this.sets; }
    async get(taskId: number) {
        this.gets++;
        if (!this.sets.some(s => s.taskId === taskId)) {
            throw new Error(`No change set for task #${taskId}.`);
        }
        return detail(taskId);
    }
    async content() { return { exists: true, content: '' }; }
    async rootUri() { return 'file:///w'; }
    async review(request: ReviewRequest) {
        this.reviews.push(request);
        if (this.nextResult instanceof Error) {
            throw this.nextResult;
        }
        return this.nextResult;
    }
    readonly comments: CommentRequest[] = [];
    async comment(request: CommentRequest): Promise<ChangeComment> {
        this.comments.push(request);
        return { id: 1, taskId: request.taskId, path: request.path, hunk: request.hunk, text: request.text, by: { id: 'user:t', displayName: 'T' }, at: 1, followUpTaskId: 7 };
    }
    async checkpoints() { return []; }
    async lineOrigins() { return undefined; }
    async restoreCheckpoint(): Promise<never> { throw new Error('not in this test'); }
    dispose() { /* nothing held */ }
    setClient() { /* the test fires the client itself */ }
}

/** What the model said and ran, and what the person answers when asked for text. */
export interface ModelSinks {
    warnings: string[];
    errors: string[];
    infos: string[];
    commands: { id: string; arg: unknown }[];
    answer: string | undefined;
}

export function newSinks(): ModelSinks {
    return { warnings: [], errors: [], infos: [], commands: [], answer: undefined };
}

/**
 * A command registry whose commands are registered as in the studio (a test registers the ones other
 * extensions would), and which records every command run instead of running it.
 */
export class RecordingCommandRegistry extends CommandRegistry {
    constructor(protected readonly sinks: ModelSinks) {
        super({ getContributions: () => [] });
    }

    override async executeCommand<T>(id: string, ...args: unknown[]): Promise<T | undefined> {
        this.sinks.commands.push({ id, arg: args[0] });
        return undefined;
    }
}

/** A container with a ChangesModel bound (not yet created) over `service` and `client`, its messages and commands going to `sinks`. */
export function changesContainer(service: ChangeReviewService, client: ChangeReviewClientImpl, sinks: ModelSinks): Container {
    const container = new Container();
    container.bind(ChangeReviewService).toConstantValue(service);
    container.bind(ChangeReviewClientImpl).toConstantValue(client);
    container.bind(MessageService).toConstantValue({
        warn: async (text: string) => { sinks.warnings.push(text); return undefined; },
        error: async (text: string) => { sinks.errors.push(text); return undefined; },
        info: async (text: string) => { sinks.infos.push(text); return undefined; },
    } as unknown as MessageService);
    container.bind(ProgressService).toConstantValue({ withProgress: (_text: string, _location: string, task: () => Promise<unknown>) => task() } as unknown as ProgressService);
    container.bind(CommandRegistry).toConstantValue(new RecordingCommandRegistry(sinks));
    container.bind(CommandService).toService(CommandRegistry);
    container.bind(QuickInputService).toConstantValue({ input: async () => sinks.answer } as unknown as QuickInputService);
    container.bind(RestoreConfirmation).toConstantValue({ confirm: async () => false });
    container.bind(CheckpointRestorer).toSelf();
    container.bind(ChangesModel).toSelf();
    return container;
}

export const settle = () => new Promise(resolve => setTimeout(resolve, 0));
