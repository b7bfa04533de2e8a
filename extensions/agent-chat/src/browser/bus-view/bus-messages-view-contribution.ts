import { AbstractViewContribution } from '@theia/core/lib/browser';
import { Command, CommandRegistry } from '@theia/core/lib/common/command';
import { injectable } from '@theia/core/shared/inversify';
import { studioCommand } from '@coditect/studio-platform/common';
import { BusMessagesWidget } from './bus-messages-widget';

export const ShowMessageBusCommand: Command = studioCommand('agent-chat', 'show-message-bus', { id: 'coditect.bus.show', label: 'Show Message Bus' });

/** "Message Bus" in the View menu; "CODITECT: Show Message Bus" in the palette. */
@injectable()
export class BusMessagesViewContribution extends AbstractViewContribution<BusMessagesWidget> {

    constructor() {
        super({
            widgetId: BusMessagesWidget.ID,
            widgetName: BusMessagesWidget.LABEL,
            defaultWidgetOptions: { area: 'bottom' },
            toggleCommandId: 'coditect.bus.toggle',
        });
    }

    override registerCommands(commands: CommandRegistry): void {
        super.registerCommands(commands);
        commands.registerCommand(ShowMessageBusCommand, { execute: () => this.openView({ activate: true, reveal: true }) });
    }
}
