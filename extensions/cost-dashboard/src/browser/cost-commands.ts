import { Command } from '@theia/core/lib/common/command';

export namespace CostCommands {
    const category = 'CODITECT';
    const localized = (command: Command, key: string) => Command.toLocalizedCommand(command, `coditect/cost-dashboard/${key}`, 'coditect/category');
    export const SHOW: Command = localized({ id: 'coditect.costs.show', category, label: 'Show Cost Dashboard', iconClass: 'codicon codicon-graph' }, 'show');
    export const EXPORT_CSV: Command = localized({ id: 'coditect.costs.exportCsv', category, label: 'Export Costs as CSV…', iconClass: 'codicon codicon-desktop-download' }, 'export-csv');
    export const SET_BUDGET: Command = localized({ id: 'coditect.costs.setBudget', category, label: 'Set Budget…' }, 'set-budget-command');
    export const EDIT_PRICES: Command = localized({ id: 'coditect.costs.editPrices', category, label: 'Edit Price Overrides' }, 'edit-prices');
    export const REFRESH: Command = localized({ id: 'coditect.costs.refresh', category, label: 'Refresh Cost Dashboard' }, 'refresh-command');
    /** Contributed by the session timeline (issue 10): named here, not imported: extensions share commands, not code. */
    export const REVEAL_TASK_IN_TIMELINE = 'coditect.timeline.revealTask';
}
