import { nls } from '@theia/core/lib/common/nls';
import { DepthFirstTreeIterator, Tree, TreeDecoration, TreeDecorator } from '@theia/core/lib/browser';
import { Emitter, Event } from '@theia/core/lib/common/event';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { FileStatNode } from '@theia/filesystem/lib/browser';
import { LockInfo } from '../common/lock-protocol';
import { LockLabels } from './lock-labels';
import { LockWatcher } from './lock-watcher';

/**
 * Lock badges in the explorer and open-editors trees: a lock icon and the holder's name on a
 * write-locked file, an eye on a read-locked one, and a dot on folders with locked files inside.
 */
@injectable()
export class LockTreeDecorator implements TreeDecorator {
    readonly id = 'coditect-file-locks';

    @inject(LockWatcher)
    protected readonly watcher: LockWatcher;

    protected readonly changed = new Emitter<(tree: Tree) => Map<string, TreeDecoration.Data>>();
    readonly onDidChangeDecorations: Event<(tree: Tree) => Map<string, TreeDecoration.Data>> = this.changed.event;

    @postConstruct()
    protected init(): void {
        this.watcher.onDidChange(() => this.changed.fire(tree => this.collect(tree)));
    }

    decorations(tree: Tree): Map<string, TreeDecoration.Data> {
        return this.collect(tree);
    }

    protected collect(tree: Tree): Map<string, TreeDecoration.Data> {
        const result = new Map<string, TreeDecoration.Data>();
        if (!tree.root || this.watcher.locks.length === 0) {
            return result;
        }
        for (const node of new DepthFirstTreeIterator(tree.root)) {
            const candidate = (node as unknown as { uri?: unknown }).uri;
            const uri = FileStatNode.is(node) ? node.uri : candidate instanceof URI ? candidate : undefined;
            const data = uri && this.decorationFor(uri, FileStatNode.is(node) ? node.fileStat.isDirectory : false);
            if (data) {
                result.set(node.id, data);
            }
        }
        return result;
    }

    protected decorationFor(uri: URI, isFolder: boolean): TreeDecoration.Data | undefined {
        const on = this.watcher.locksOn(uri);
        if (on.length) {
            return this.lockedDecoration(on);
        }
        const inside = isFolder ? this.watcher.locksInside(uri) : [];
        if (inside.length) {
            return {
                tailDecorations: [{
                    iconClass: LockLabels.insideIcon,
                    color: inside.some(l => l.mode === 'exclusive') ? LockLabels.writeColor : LockLabels.readColor,
                    tooltip: inside.length > 1
                        ? nls.localize('coditect/file-locks/locks-inside', '{0} locks inside, held by {1}', inside.length, LockLabels.holders(inside))
                        : nls.localize('coditect/file-locks/lock-inside', '1 lock inside, held by {0}', LockLabels.holders(inside)),
                }],
            };
        }
        return undefined;
    }

    protected lockedDecoration(locks: LockInfo[]): TreeDecoration.Data {
        const write = locks.find(l => l.mode === 'exclusive');
        const tooltip = locks.map(l => LockLabels.describe(l, this.watcher.waitersFor(l))).join('\n\n');
        return {
            captionSuffixes: [{ data: write ? write.owner.displayName : LockLabels.holders(locks), fontData: { color: write ? LockLabels.writeColor : LockLabels.readColor } }],
            tailDecorations: [{ iconClass: write ? LockLabels.writeIcon : LockLabels.readIcon, color: write ? LockLabels.writeColor : LockLabels.readColor, tooltip }],
        };
    }
}
