import { NavigatableWidget } from '@theia/core/lib/browser/navigatable-types';
import { WidgetDecoration } from '@theia/core/lib/browser/widget-decoration';
import { TabBarDecorator } from '@theia/core/lib/browser/shell/tab-bar-decorator';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { Title, Widget } from '@theia/core/shared/@lumino/widgets';
import { LockLabels } from './lock-labels';
import { LockWatcher } from './lock-watcher';

/** The same lock badge on editor tabs as in the explorer. */
@injectable()
export class LockTabBarDecorator implements TabBarDecorator {
    readonly id = 'coditect-file-locks-tabs';

    @inject(LockWatcher)
    protected readonly watcher: LockWatcher;

    protected readonly changed = new Emitter<void>();
    readonly onDidChangeDecorations: Event<void> = this.changed.event;

    @postConstruct()
    protected init(): void {
        this.watcher.onDidChange(() => this.changed.fire());
    }

    decorate(title: Title<Widget>): WidgetDecoration.Data[] {
        const uri = NavigatableWidget.is(title.owner) ? title.owner.getResourceUri() : undefined;
        const locks = uri ? this.watcher.locksOn(uri) : [];
        if (!locks.length) {
            return [];
        }
        const write = locks.find(l => l.mode === 'exclusive');
        // An overlay on the file icon rather than a tail decoration: Theia 1.74's tab renderer turns
        // icon tail decorations into "[object Object]".
        return [{
            iconOverlay: {
                position: WidgetDecoration.IconOverlayPosition.BOTTOM_RIGHT,
                iconClass: write ? LockLabels.writeIcon : LockLabels.readIcon,
                color: write ? LockLabels.writeColor : LockLabels.readColor,
            },
            tooltip: locks.map(l => LockLabels.describe(l, this.watcher.waitersFor(l))).join('\n\n'),
        }];
    }
}
