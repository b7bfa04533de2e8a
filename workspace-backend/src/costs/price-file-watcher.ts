import * as fs from 'node:fs';
import * as path from 'node:path';
import { Emitter, Event } from '../common/emitter';
import { parsePriceFile, PriceFile } from './price-file';

/** The workspace-relative path of the price overrides file. */
export const PriceFilePath = '.coditect/prices.json';

/**
 * Watches `.coditect/prices.json`. Like agent definitions, an invalid edit never replaces the
 * last good prices: they stay in use and the error is kept (`error`) until the file is fixed.
 * A deleted file means no overrides. `refresh()` re-reads at once (for file systems without
 * change notifications, and for tests).
 */
export class PriceFileWatcher {
    readonly file: string;
    protected lastText: string | undefined;
    protected good: PriceFile | undefined;
    protected problem: string | undefined;
    protected watcher: fs.FSWatcher | undefined;
    protected debounce: NodeJS.Timeout | undefined;
    protected readonly changed = new Emitter<void>();
    /** Fires when the prices in use or the error changed. */
    readonly onChange: Event<void> = this.changed.event;

    constructor(readonly workspaceDir: string, protected readonly debounceMs = 200) {
        this.file = path.join(workspaceDir, PriceFilePath);
    }

    /** The last good content, or undefined when there is no file (or it never was valid). */
    get prices(): PriceFile | undefined {
        return this.good;
    }

    get error(): string | undefined {
        return this.problem;
    }

    start(): void {
        this.refresh(false);
        const folder = path.dirname(this.file);
        try {
            fs.mkdirSync(folder, { recursive: true });
            this.watcher = fs.watch(folder, (_, name) => {
                if (!name || name.toString() === path.basename(this.file)) {
                    clearTimeout(this.debounce);
                    this.debounce = setTimeout(() => this.refresh(), this.debounceMs);
                }
            });
            this.watcher.on('error', () => this.watcher?.close());
        } catch {
            // No notifications: refresh() still works.
        }
    }

    refresh(notify = true): void {
        let text: string | undefined;
        try {
            text = fs.readFileSync(this.file, 'utf8');
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
                this.update(this.good, `${PriceFilePath} could not be read: ${(error as Error).message}`, notify);
                return;
            }
        }
        if (text === this.lastText) {
            return;
        }
        this.lastText = text;
        if (text === undefined || !text.trim()) {
            this.update(undefined, undefined, notify);
            return;
        }
        try {
            this.update(parsePriceFile(text, PriceFilePath), undefined, notify);
        } catch (error) {
            this.update(this.good, `${(error as Error).message} The last valid prices stay in use until it is fixed.`, notify);
        }
    }

    dispose(): void {
        clearTimeout(this.debounce);
        this.watcher?.close();
        this.changed.dispose();
    }

    protected update(prices: PriceFile | undefined, problem: string | undefined, notify: boolean): void {
        this.good = prices;
        this.problem = problem;
        if (notify) {
            this.changed.fire();
        }
    }
}
