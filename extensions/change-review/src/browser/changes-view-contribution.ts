import { AbstractViewContribution, open, OpenerService } from '@theia/core/lib/browser';
import { TabBarToolbarContribution, TabBarToolbarRegistry } from '@theia/core/lib/browser/shell/tab-bar-toolbar';
import { DiffUris } from '@theia/core/lib/browser/diff-uris';
import { QuickInputService } from '@theia/core/lib/browser/quick-input/quick-input-service';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ChangeUri } from '../common/change-uri';
import { ChangeReviewCommands } from './change-review-commands';
import { ChangesWidget } from './changes-widget';
import { CheckpointRestorer } from './checkpoint-restorer';

const K = 'coditect/change-review/';
/** The side panel's width the view needs to show a file's name beside its actions; narrower at first open, the panel is widened to it once. */
const ComfortableWidth = 380;

/** A task number as another view passes it (a number, or digits), else undefined. */
function taskNumber(value: unknown): number | undefined {
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
        return value;
    }
    return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * "Changes" in the View menu and "CODITECT: Show Changes" in the palette, "CODITECT: Restore
 * Checkpoint…" (also on the view's toolbar); the shared commands
 * other extensions run: show a task's changes (from the palette, asks for its number) and open a
 * file of a change set in the diff editor, before the task against after it.
 */
@injectable()
export class ChangesViewContribution extends AbstractViewContribution<ChangesWidget> implements TabBarToolbarContribution {

    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(OpenerService) protected readonly openers: OpenerService;
    @inject(CheckpointRestorer) protected readonly restorer: CheckpointRestorer;
    protected widened = false;

    constructor() {
        super({
            widgetId: ChangesWidget.ID,
            widgetName: ChangesWidget.LABEL,
            defaultWidgetOptions: { area: 'left', rank: 400 },
            toggleCommandId: 'coditect.changes.toggle',
        });
    }

    override registerCommands(commands: CommandRegistry): void {
        super.registerCommands(commands);
        commands.registerCommand(ChangeReviewCommands.SHOW, { execute: () => this.show() });
        commands.registerCommand(ChangeReviewCommands.REVEAL_TASK, { execute: (arg?: { taskId?: unknown }) => this.revealTask(arg?.taskId) });
        commands.registerCommand(ChangeReviewCommands.OPEN_DIFF, { execute: (arg?: { taskId?: unknown; path?: unknown }) => this.openDiff(arg) });
        commands.registerCommand(ChangeReviewCommands.RESTORE_CHECKPOINT, { execute: () => this.restorer.pickAndRestore() });
    }

    registerToolbarItems(toolbar: TabBarToolbarRegistry): void {
        toolbar.registerItem({
            id: ChangeReviewCommands.RESTORE_CHECKPOINT.id, command: ChangeReviewCommands.RESTORE_CHECKPOINT.id,
            tooltip: nls.localize(`${K}restore-checkpoint-tooltip`, 'Restore Checkpoint…'), isVisible: widget => widget instanceof ChangesWidget,
        });
    }

    protected async revealTask(taskId: unknown): Promise<boolean> {
        let id = taskNumber(taskId);
        if (id === undefined) {
            const typed = await this.quickInput.input({
                prompt: nls.localize(`${K}reveal-task-prompt`, 'Show the changes of which task?'),
                placeHolder: nls.localize(`${K}reveal-task-placeholder`, 'Task number, e.g. 12'),
                validateInput: async v => (/^\s*#?\d+\s*$/.test(v) ? undefined : nls.localize(`${K}reveal-task-invalid`, 'A task number, e.g. 12')),
            });
            if (typed === undefined) {
                return false;
            }
            id = Number(typed.trim().replace(/^#/, ''));
        }
        const widget = await this.show();
        return widget.reveal(id);
    }

    /**
     * Opens the view; the first time, widens a side panel too narrow for a file's name beside its
     * actions (once: the person's own resizing afterwards stands).
     */
    protected async show(): Promise<ChangesWidget> {
        const widget = await this.openView({ activate: true, reveal: true });
        const area = this.shell.getAreaFor(widget);
        if (!this.widened && (area === 'left' || area === 'right') && widget.node.clientWidth > 0 && widget.node.clientWidth < ComfortableWidth) {
            this.widened = true;
            this.shell.resize(ComfortableWidth, area);
        }
        return widget;
    }

    protected async openDiff(arg: { taskId?: unknown; path?: unknown } | undefined): Promise<void> {
        const taskId = taskNumber(arg?.taskId);
        const path = arg?.path;
        if (taskId === undefined || typeof path !== 'string' || !path) {
            throw new Error('Opening a change\'s diff needs { taskId, path }.');
        }
        const name = path.split('/').pop() ?? path;
        const label = nls.localize(`${K}diff-title`, '{0} (task #{1}: before ↔ after)', name, taskId);
        const diff = DiffUris.encode(ChangeUri.create(taskId, path, 'before'), ChangeUri.create(taskId, path, 'after'), label);
        await open(this.openers, diff, { mode: 'reveal' });
    }
}
