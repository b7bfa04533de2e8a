import { AbstractViewContribution } from '@theia/core/lib/browser';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { injectable } from '@theia/core/shared/inversify';
import { LocksWidget } from './locks-widget';
import { LockCommands } from './lock-commands';

/** The Locks view: "Locks" in the View menu, "CODITECT: Show Locks" in the command palette. */
@injectable()
export class LocksViewContribution extends AbstractViewContribution<LocksWidget> {
    constructor() {
        super({
            widgetId: LocksWidget.ID,
            widgetName: LocksWidget.LABEL,
            defaultWidgetOptions: { area: 'bottom' },
            toggleCommandId: 'coditect.locks.toggle',
        });
    }

    override registerCommands(commands: CommandRegistry): void {
        super.registerCommands(commands);
        commands.registerCommand(LockCommands.SHOW_LOCKS, { execute: () => this.openView({ activate: true, reveal: true }) });
    }
}
