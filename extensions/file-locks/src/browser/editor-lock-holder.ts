import { nls } from '@theia/core/lib/common/nls';
import { FrontendApplicationContribution, Saveable } from '@theia/core/lib/browser';
import { MessageService } from '@theia/core/lib/common/message-service';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { EditorManager, EditorWidget } from '@theia/editor/lib/browser';
import { HUMAN_LOCK_RENEW_MS, LockInfo, LockService, SaveRefusal } from '../common/lock-protocol';
import { LockClientImpl } from './lock-client-impl';
import { LockLabels } from './lock-labels';
import { LockWatcher } from './lock-watcher';

/**
 * A person with unsaved changes holds the file: an editor that turns dirty takes a write lock, so
 * agents wait for it; saving or reverting gives it back. When an agent already holds the file,
 * the person is told at once, and again (with "wait" and "force-release") if they try to save.
 */
@injectable()
export class EditorLockHolder implements FrontendApplicationContribution {

    @inject(EditorManager) protected readonly editors: EditorManager;
    @inject(LockService) protected readonly service: LockService;
    @inject(LockWatcher) protected readonly watcher: LockWatcher;
    @inject(LockClientImpl) protected readonly client: LockClientImpl;
    @inject(MessageService) protected readonly messages: MessageService;

    /** Locks this browser holds for dirty editors, by file URI. */
    protected readonly held = new Map<string, LockInfo>();
    protected readonly warned = new Set<string>();

    onStart(): void {
        this.watcher.start().catch(error => console.error('Could not load the workspace locks', error));
        this.editors.onCreated(widget => this.track(widget));
        this.editors.all.forEach(widget => this.track(widget));
        this.client.onDidRefuseSave(refusal => this.offerAfterRefusal(refusal));
        setInterval(() => this.renewAll(), HUMAN_LOCK_RENEW_MS);
    }

    protected track(widget: EditorWidget): void {
        const uri = widget.editor.uri;
        const document = widget.editor.document;
        const sync = () => document.dirty ? this.take(uri) : this.giveBack(uri);
        const listener = document.onDirtyChanged(sync);
        widget.disposed.connect(() => {
            listener.dispose();
            this.giveBack(uri);
        });
        sync();
    }

    protected async take(uri: URI): Promise<void> {
        const key = uri.toString();
        if (this.held.has(key) || this.watcher.pathOf(uri) === undefined) {
            return;
        }
        try {
            this.held.set(key, await this.service.acquire(key, 'exclusive'));
            this.warned.delete(key);
        } catch (error) {
            const holders = this.watcher.locksOn(uri).filter(l => !this.watcher.isMine(l));
            if (!this.warned.has(key)) {
                this.warned.add(key);
                this.messages.warn(holders.length
                    ? nls.localize('coditect/file-locks/someone-working', '{0} is working on {1}; you can edit, but saving waits until the lock is released.', LockLabels.holders(holders), this.watcher.pathOf(uri) ?? '')
                    : nls.localize('coditect/file-locks/could-not-lock', 'Could not lock {0}: {1}', this.watcher.pathOf(uri) ?? '', error instanceof Error ? error.message : String(error)));
            }
        }
    }

    protected async giveBack(uri: URI): Promise<void> {
        const key = uri.toString();
        const lock = this.held.get(key);
        this.held.delete(key);
        if (lock) {
            await this.service.release(lock.id).catch(() => undefined);
        }
    }

    protected async renewAll(): Promise<void> {
        for (const [key, lock] of this.held) {
            try {
                this.held.set(key, await this.service.renew(lock.id));
            } catch {
                this.held.delete(key);
            }
        }
    }

    /** The backend refused a save: offer to wait for the lock, or (where allowed) to take it. */
    protected async offerAfterRefusal(refusal: SaveRefusal): Promise<void> {
        const uri = this.watcher.uriOf(refusal.path);
        const names = LockLabels.holders(refusal.holders);
        const mayForce = refusal.holders.every(h => this.watcher.mayForceRelease(h));
        const waitAndSave = nls.localize('coditect/file-locks/wait-and-save', 'Wait and Save');
        const forceAndSave = nls.localize('coditect/file-locks/force-and-save', 'Force Release and Save');
        const actions = mayForce ? [waitAndSave, forceAndSave] : [waitAndSave];
        const choice = await this.messages.warn(nls.localize('coditect/file-locks/not-saved', '{0} was not saved: {1} holds a lock on it.', refusal.path, names), ...actions);
        if (!uri || !choice) {
            return;
        }
        try {
            if (choice === forceAndSave) {
                await Promise.all(refusal.holders.map(h => this.service.forceRelease(h.id, 'to save their own changes')));
            }
            const waitMs = 10 * 60_000;
            const progress = await this.messages.showProgress({ text: nls.localize('coditect/file-locks/waiting-for-release', 'Waiting for {0} to release {1}…', names, refusal.path) });
            try {
                this.held.set(uri.toString(), await this.service.acquire(uri.toString(), 'exclusive', choice === waitAndSave ? waitMs : 5_000));
            } finally {
                progress.cancel();
            }
            await this.save(uri);
        } catch (error) {
            this.messages.error(error instanceof Error ? error.message : String(error));
        }
    }

    protected async save(uri: URI): Promise<void> {
        const widget = this.editors.all.find(w => w.editor.uri.isEqual(uri));
        const saveable = widget && Saveable.get(widget);
        if (saveable) {
            await saveable.save();
        }
    }
}
