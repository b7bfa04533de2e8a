import { AbstractViewContribution } from '@theia/core/lib/browser';
import { QuickInputService } from '@theia/core/lib/browser/quick-input/quick-input-service';
import { CommonCommands } from '@theia/core/lib/browser/common-commands';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { startDownload } from '@coditect/studio-platform/browser';
import { CostDashboardService, CostRange, CostRanges } from '../common/cost-dashboard-protocol';
import { CostPriceOverridesPreference } from '../common/cost-preferences';
import { BudgetEditor, errorText } from './budget-editor';
import { CostCommands } from './cost-commands';
import { CostDashboardWidget } from './cost-dashboard-widget';
import { CostWatcher } from './cost-watcher';

/** "Cost Dashboard" in the View menu; "CODITECT: Show Cost Dashboard", export, budgets and prices in the command palette. */
@injectable()
export class CostDashboardViewContribution extends AbstractViewContribution<CostDashboardWidget> {

    @inject(CostDashboardService)
    protected readonly service: CostDashboardService;

    @inject(CostWatcher)
    protected readonly watcher: CostWatcher;

    @inject(BudgetEditor)
    protected readonly budgets: BudgetEditor;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(QuickInputService)
    protected readonly quickInput: QuickInputService;

    constructor() {
        super({
            widgetId: CostDashboardWidget.ID,
            widgetName: CostDashboardWidget.LABEL,
            defaultWidgetOptions: { area: 'main' },
            toggleCommandId: 'coditect.costs.toggle',
        });
    }

    override registerCommands(commands: CommandRegistry): void {
        super.registerCommands(commands);
        commands.registerCommand(CostCommands.SHOW, { execute: () => this.openView({ activate: true, reveal: true }) });
        commands.registerCommand(CostCommands.REFRESH, { execute: async () => (await this.openView({ activate: true, reveal: true })).refresh() });
        commands.registerCommand(CostCommands.EXPORT_CSV, { execute: (range?: CostRange) => this.exportCsv(range) });
        // Admin actions: hidden from people the backend would refuse (it checks again).
        commands.registerCommand(CostCommands.SET_BUDGET, {
            isEnabled: () => this.watcher.canAdminister,
            isVisible: () => this.watcher.canAdminister,
            execute: () => this.budgets.set(),
        });
        commands.registerCommand(CostCommands.EDIT_PRICES, {
            isEnabled: () => this.watcher.canAdminister,
            isVisible: () => this.watcher.canAdminister,
            execute: () => commands.executeCommand(CommonCommands.OPEN_PREFERENCES.id, CostPriceOverridesPreference),
        });
    }

    /** Downloads the range's ledger as CSV through a one-time link (asking for the range when none is given). */
    protected async exportCsv(range?: CostRange): Promise<void> {
        const chosen = range ?? await this.quickPick();
        if (!chosen) {
            return;
        }
        try {
            startDownload(await this.service.prepareExport(chosen));
        } catch (error) {
            this.messages.error(nls.localize('coditect/cost-dashboard/export-failed', 'The export could not start: {0}', errorText(error)));
        }
    }

    protected async quickPick(): Promise<CostRange | undefined> {
        const picked = await this.quickInput.showQuickPick(CostRanges.map(r => ({ label: r.label, value: r.key })), {
            title: nls.localize('coditect/cost-dashboard/export-title', 'Export Costs as CSV'), placeholder: nls.localize('coditect/cost-dashboard/export-placeholder', 'Which range of the cost ledger?'),
        });
        return picked?.value;
    }
}
