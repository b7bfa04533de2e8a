import { AbstractViewContribution } from '@theia/core/lib/browser';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { injectable } from '@theia/core/shared/inversify';
import { AgentActivityCommands } from './agent-activity-commands';
import { AgentActivityWidget } from './agent-activity-widget';

/** "Agents" in the View menu; "CODITECT: Show Agent Activity" in the command palette. */
@injectable()
export class AgentActivityViewContribution extends AbstractViewContribution<AgentActivityWidget> {
    constructor() {
        super({
            widgetId: AgentActivityWidget.ID,
            widgetName: AgentActivityWidget.LABEL,
            defaultWidgetOptions: { area: 'right', rank: 100 },
            toggleCommandId: 'coditect.agents.toggle',
        });
    }

    override registerCommands(commands: CommandRegistry): void {
        super.registerCommands(commands);
        commands.registerCommand(AgentActivityCommands.SHOW_AGENTS, { execute: () => this.openView({ activate: true, reveal: true }) });
    }
}
