import { AbstractViewContribution } from '@theia/core/lib/browser';
import { injectable } from '@theia/core/shared/inversify';
import { LocksWidget } from './locks-widget';
import { LockCommands } from './lock-commands';

/** Opens the Locks view from the View menu and the command palette ("CODITECT: Show Locks"). */
@injectable()
export class LocksViewContribution extends AbstractViewContribution<LocksWidget> {
    constructor() {
        super({
            widgetId: LocksWidget.ID,
            widgetName: LocksWidget.LABEL,
            defaultWidgetOptions: { area: 'bottom' },
            toggleCommandId: LockCommands.SHOW_LOCKS.id,
        });
    }
}
