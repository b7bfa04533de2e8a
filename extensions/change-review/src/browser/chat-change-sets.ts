import type { ChangeSetElement } from '@theia/ai-chat/lib/common/change-set';
import { OpenerService, open } from '@theia/core/lib/browser/opener-service';
import { CommandContribution, CommandRegistry, CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { runSharedCommand, SharedCommands } from '@coditect/studio-platform/common';
import { ChangeReviewService } from '../common/change-review-protocol';
import { ChangeReviewClientImpl } from './change-review-client-impl';
import { ChatChangeActions, ChatChangeElement } from './chat-change-element';

/**
 * A finished task's change set as elements of Theia's chat change set (the agent's answer shows
 * them below the chat input: Open, Open Change, Revert = reject, Apply = accept), served to the
 * chat through SharedCommands.CHANGES_CHAT_ELEMENTS. The elements follow reviews made anywhere.
 * Built here, on this extension's one connection to the change sets.
 */
@injectable()
export class ChatChangeSets implements ChatChangeActions, CommandContribution {

    @inject(ChangeReviewService) protected readonly service: ChangeReviewService;
    @inject(ChangeReviewClientImpl) protected readonly client: ChangeReviewClientImpl;
    @inject(CommandService) protected readonly commands: CommandService;
    @inject(OpenerService) protected readonly opener: OpenerService;
    @inject(MessageService) protected readonly messages: MessageService;

    protected root: Promise<URI> | undefined;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(SharedCommands.CHANGES_CHAT_ELEMENTS, {
            execute: (arg?: { taskId?: unknown }) => (typeof arg?.taskId === 'number' ? this.elementsOf(arg.taskId) : []),
        });
    }

    /** The task's files as chat change set elements; none when it changed no file. */
    async elementsOf(taskId: number): Promise<ChangeSetElement[]> {
        const summary = (await this.service.list({ beforeTaskId: taskId + 1, limit: 1 }))[0];
        if (summary?.taskId !== taskId) {
            return [];
        }
        const root = await this.rootUri();
        // Followed while any of its elements is shown; the chat's change set disposes them with itself.
        let alive = summary.files.length;
        const following = this.client.onDidChangeChangeSets(event => event.taskId === taskId && this.refresh(taskId, elements));
        const released = () => --alive === 0 && following.dispose();
        const elements = summary.files.map(file => new ChatChangeElement(root.resolve(file.path), taskId, file, this, released, summary.apply));
        return elements;
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

    protected async refresh(taskId: number, elements: readonly ChatChangeElement[]): Promise<void> {
        const summary = (await this.service.list({ beforeTaskId: taskId + 1, limit: 1 }))[0];
        for (const element of elements) {
            const file = summary?.taskId === taskId ? summary.files.find(f => f.path === element.path) : undefined;
            if (file) {
                element.update(file, summary.apply);
            }
        }
    }

    protected rootUri(): Promise<URI> {
        this.root ??= this.service.rootUri().then(uri => new URI(uri));
        return this.root;
    }
}
