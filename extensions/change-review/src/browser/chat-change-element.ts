import type { ChangeSetElement } from '@theia/ai-chat/lib/common/change-set';
import { Emitter, Event } from '@theia/core/lib/common/event';
import type URI from '@theia/core/lib/common/uri';
import type { ChangeApplyState, ChangeFileSummary } from '../common/change-review-protocol';

/** What an element of a task's change set does, done by the chat's change sets (chat-change-sets.ts). */
export interface ChatChangeActions {
    open(uri: URI): Promise<void>;
    openDiff(taskId: number, path: string): Promise<void>;
    review(taskId: number, path: string, decision: 'accept' | 'reject'): Promise<void>;
}

/**
 * One file of a task's change set as Theia's chat shows it, below the chat input. The agent's
 * change is already in the workspace, so the element is `applied`; Revert rejects it (the file
 * goes back to before the task, merged with later edits) and leaves it `pending`, and Apply
 * accepts it again (the agent's lines come back). A partly rejected file still counts as applied.
 * The file of a change set that waits for review (or was discarded) is not in the workspace: it is
 * `pending`, and only the whole set can be decided (in the Changes view).
 */
export class ChatChangeElement implements ChangeSetElement {
    protected readonly changed = new Emitter<void>();
    readonly onDidChange: Event<void> = this.changed.event;
    readonly name: string;
    readonly additionalInfo: string;
    readonly type: 'add' | 'modify' | 'delete';

    constructor(
        readonly uri: URI, protected readonly taskId: number, protected file: ChangeFileSummary, protected readonly actions: ChatChangeActions,
        protected readonly onDispose: () => void = () => undefined, protected landing?: ChangeApplyState,
    ) {
        const slash = file.path.lastIndexOf('/');
        this.name = file.path.slice(slash + 1);
        this.additionalInfo = slash < 0 ? '' : file.path.slice(0, slash);
        this.type = file.status === 'added' ? 'add' : file.status === 'deleted' ? 'delete' : 'modify';
    }

    get state(): 'pending' | 'applied' {
        return this.file.review === 'rejected' || this.landing === 'waiting' || this.landing === 'discarded' ? 'pending' : 'applied';
    }

    get path(): string {
        return this.file.path;
    }

    /** The file's summary as the change set has it now (after a review, here or anywhere else), and where the set's edits are when it waits for review. */
    update(file: ChangeFileSummary, landing?: ChangeApplyState): void {
        const before = this.state;
        this.file = file;
        this.landing = landing;
        if (this.state !== before) {
            this.changed.fire();
        }
    }

    open(): Promise<void> {
        return this.actions.open(this.uri);
    }

    openChange(): Promise<void> {
        return this.actions.openDiff(this.taskId, this.file.path);
    }

    apply(): Promise<void> {
        return this.actions.review(this.taskId, this.file.path, 'accept');
    }

    revert(): Promise<void> {
        return this.actions.review(this.taskId, this.file.path, 'reject');
    }

    dispose(): void {
        this.changed.dispose();
        this.onDispose();
    }
}
