import { AbstractViewContribution } from '@theia/core/lib/browser';
import { QuickInputService } from '@theia/core/lib/browser/quick-input/quick-input-service';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { SqlConsoleService } from '../common/sql-console-protocol';
import { SqlConsoleCommands } from './sql-console-commands';
import { SqlConsoleWidget } from './sql-console-widget';

/** The SQL Console: "SQL Console" in the View menu, "CODITECT: Open SQL Console" in the command palette. */
@injectable()
export class SqlConsoleViewContribution extends AbstractViewContribution<SqlConsoleWidget> {

    @inject(QuickInputService)
    protected readonly quickInput: QuickInputService;

    @inject(SqlConsoleService)
    protected readonly service: SqlConsoleService;

    constructor() {
        super({
            widgetId: SqlConsoleWidget.ID,
            widgetName: SqlConsoleWidget.LABEL,
            defaultWidgetOptions: { area: 'main' },
            toggleCommandId: 'coditect.sqlConsole.toggle',
        });
    }

    override registerCommands(commands: CommandRegistry): void {
        super.registerCommands(commands);
        commands.registerCommand(SqlConsoleCommands.OPEN, { execute: () => this.openView({ activate: true, reveal: true }) });
        commands.registerCommand(SqlConsoleCommands.OPEN_DATABASE, { execute: (database?: string) => this.openOn(database) });
        commands.registerCommand(SqlConsoleCommands.RUN, {
            execute: async () => (await this.openView({ activate: true, reveal: true })).run(),
        });
    }

    /** Opens the console on `database`, or on one picked from the six. */
    async openOn(database?: string): Promise<void> {
        let name = database;
        if (!name) {
            const databases = await this.service.databases();
            const picked = await this.quickInput.showQuickPick(databases.map(d => ({
                label: d.name, description: d.open ? d.label : nls.localize('coditect/sql-console/unavailable', 'unavailable'), detail: d.open ? d.holds : d.problem, value: d.name,
            })), { placeholder: nls.localize('coditect/sql-console/open-database-placeholder', 'Open the SQL console on which database?') });
            name = picked?.value;
        }
        if (name) {
            const widget = await this.openView({ activate: true, reveal: true });
            widget.selectDatabase(name);
        }
    }
}
