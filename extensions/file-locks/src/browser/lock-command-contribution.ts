import { nls } from '@theia/core/lib/common/nls';
import { SelectionService } from '@theia/core/lib/common/selection-service';
import { UriAwareCommandHandler } from '@theia/core/lib/common/uri-command-handler';
import { Command, CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MenuContribution, MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { EditorManager } from '@theia/editor/lib/browser';
import { NavigatorContextMenu } from '@theia/navigator/lib/browser/navigator-contribution';
import { LockMode, LockService } from '../common/lock-protocol';
import { LockCommands } from './lock-commands';
import { LockLabels } from './lock-labels';
import { LockWatcher } from './lock-watcher';

/** Lock, unlock and "who holds this?" for the selected file or the current editor. */
@injectable()
export class LockCommandContribution implements CommandContribution, MenuContribution {

    @inject(LockService) protected readonly service: LockService;
    @inject(LockWatcher) protected readonly watcher: LockWatcher;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(SelectionService) protected readonly selection: SelectionService;
    @inject(EditorManager) protected readonly editors: EditorManager;

    registerCommands(commands: CommandRegistry): void {
        this.register(commands, LockCommands.LOCK_WRITE, uri => this.lock(uri, 'exclusive'));
        this.register(commands, LockCommands.LOCK_READ, uri => this.lock(uri, 'shared'));
        this.register(commands, LockCommands.UNLOCK, uri => this.unlock(uri));
        this.register(commands, LockCommands.SHOW_HOLDER, uri => this.showHolder(uri));
    }

    registerMenus(menus: MenuModelRegistry): void {
        const group = [...NavigatorContextMenu.NAVIGATION, 'coditect-locks'];
        menus.registerMenuAction(group, { commandId: LockCommands.LOCK_WRITE.id, order: 'a' });
        menus.registerMenuAction(group, { commandId: LockCommands.UNLOCK.id, order: 'b' });
    }

    /** Acts on the selected file, or else on the current editor's file. */
    protected register(commands: CommandRegistry, command: Command, run: (uri: URI) => Promise<void>): void {
        const fromSelection = UriAwareCommandHandler.MonoSelect(this.selection, { execute: run, isEnabled: () => true });
        commands.registerCommand(command, {
            execute: (...args: unknown[]) => {
                const editorUri = this.editors.currentEditor?.getResourceUri();
                return args.length === 0 && editorUri ? run(editorUri) : fromSelection.execute(...args);
            },
        });
    }

    protected async lock(uri: URI, mode: LockMode): Promise<void> {
        try {
            const lock = await this.service.acquire(uri.toString(), mode);
            this.messages.info(nls.localize('coditect/file-locks/taken', '{0} taken on {1}.', LockLabels.kind(lock), lock.path || nls.localize('coditect/file-locks/the-workspace', 'the workspace')));
        } catch (error) {
            this.messages.error(error instanceof Error ? error.message : String(error));
        }
    }

    protected async unlock(uri: URI): Promise<void> {
        const mine = this.watcher.locksOn(uri).filter(l => this.watcher.isMine(l));
        if (!mine.length) {
            this.messages.info(nls.localize('coditect/file-locks/hold-none', 'You hold no lock on {0}.', this.watcher.pathOf(uri) ?? uri.path.base));
            return;
        }
        await Promise.all(mine.map(l => this.service.release(l.id)));
        this.messages.info(mine.length > 1
            ? nls.localize('coditect/file-locks/released-n', 'Released {0} locks.', mine.length)
            : nls.localize('coditect/file-locks/released-one', 'Released 1 lock.'));
    }

    protected async showHolder(uri: URI): Promise<void> {
        const locks = this.watcher.locksOn(uri);
        this.messages.info(locks.length
            ? locks.map(l => LockLabels.describe(l, this.watcher.waitersFor(l))).join(' | ')
            : nls.localize('coditect/file-locks/nobody-holds', 'Nobody holds a lock on {0}.', this.watcher.pathOf(uri) ?? uri.path.base));
    }
}
