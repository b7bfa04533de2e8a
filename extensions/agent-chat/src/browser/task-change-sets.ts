import { ChangeSetImpl } from '@theia/ai-chat/lib/common/change-set';
import type { MutableChatRequestModel } from '@theia/ai-chat/lib/common/chat-model';
import { OpenerService, open } from '@theia/core/lib/browser/opener-service';
import { CommandService } from '@theia/core/lib/common/command';
import { Emitter } from '@theia/core/lib/common/event';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { ChangeReviewClient, ChangeReviewService, ChangeSetEvent } from '@coditect/change-review/common';
import { runSharedCommand, SharedCommands } from '@coditect/studio-platform/common';
import { TaskChangeActions, TaskChangeElement } from './task-change-element';

/** The chat's own connection to the change sets (the Changes view has another): its proxy and client. */
export const ChatChangeReviewService = Symbol('ChatChangeReviewService');

@injectable()
export class ChatChangeReviewClient implements ChangeReviewClient {
    protected readonly emitter = new Emitter<ChangeSetEvent>();
    readonly onChanged = this.emitter.event;

    onChangeSetsChanged(event: ChangeSetEvent): void {
        this.emitter.fire(event);
    }

    onTaskStatusChanged(): void {
        // The chat shows a change set once its task has ended; its status does not change after.
    }
}

/**
 * Puts a finished task's change set on its chat request, where Theia's chat shows it below the
 * input: each file with Open, Open Change (the Changes view's diff), Apply (accept) and Revert
 * (reject). The elements follow reviews made anywhere (the Changes view, HTTP, another person).
 */
@injectable()
export class TaskChangeSets implements TaskChangeActions {

    @inject(ChatChangeReviewService) protected readonly service: ChangeReviewService;
    @inject(ChatChangeReviewClient) protected readonly client: ChatChangeReviewClient;
    @inject(CommandService) protected readonly commands: CommandService;
    @inject(OpenerService) protected readonly opener: OpenerService;
    @inject(MessageService) protected readonly messages: MessageService;

    protected root: Promise<URI> | undefined;

    /** Attaches the task's change set, when it changed any file, to `request`. */
    async attach(request: MutableChatRequestModel, taskId: number): Promise<void> {
        const summary = (await this.service.list({ beforeTaskId: taskId + 1, limit: 1 }))[0];
        if (summary?.taskId !== taskId) {
            return;
        }
        const root = await this.rootUri();
        // Followed while any of its elements is shown; the change set disposes them with itself.
        let alive = summary.files.length;
        const following = this.client.onChanged(event => event.taskId === taskId && this.refresh(taskId, elements));
        const released = () => --alive === 0 && following.dispose();
        const elements = summary.files.map(file => new TaskChangeElement(root.resolve(file.path), taskId, file, this, released));
        const changeSet = new ChangeSetImpl(elements);
        changeSet.setTitle(nls.localize('coditect/agent-chat/change-set-title', 'Changes of task #{0}', taskId));
        request.changeSet = changeSet;
    }

    async open(uri: URI): Promise<void> {
        await open(this.opener, uri);
    }

    async openDiff(taskId: number, path: string): Promise<void> {
        await runSharedCommand(this.commands, SharedCommands.CHANGES_OPEN_DIFF, { taskId, path });
    }

    async review(taskId: number, path: string, decision: 'accept' | 'reject'): Promise<void> {
        try {
            const result = await this.service.review({ taskId, path, decision });
            for (const file of result.files) {
                if (file.outcome === 'conflict') {
                    this.messages.warn(file.reason);
                }
            }
        } catch (error) {
            this.messages.error(error instanceof Error ? error.message : String(error));
        }
    }

    protected async refresh(taskId: number, elements: readonly TaskChangeElement[]): Promise<void> {
        const summary = (await this.service.list({ beforeTaskId: taskId + 1, limit: 1 }))[0];
        for (const element of elements) {
            const file = summary?.taskId === taskId ? summary.files.find(f => f.path === element.path) : undefined;
            if (file) {
                element.update(file);
            }
        }
    }

    protected rootUri(): Promise<URI> {
        this.root ??= this.service.rootUri().then(uri => new URI(uri));
        return this.root;
    }
}
