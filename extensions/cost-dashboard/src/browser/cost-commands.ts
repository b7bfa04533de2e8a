import { Command } from '@theia/core/lib/common/command';
import { studioCommand } from '@coditect/studio-platform/common';

export namespace CostCommands {
    export const SHOW: Command = studioCommand('cost-dashboard', 'show', { id: 'coditect.costs.show', label: 'Show Cost Dashboard', iconClass: 'codicon codicon-graph' });
    export const EXPORT_CSV: Command = studioCommand('cost-dashboard', 'export-csv', { id: 'coditect.costs.exportCsv', label: 'Export Costs as CSV…', iconClass: 'codicon codicon-desktop-download' });
    export const SET_BUDGET: Command = studioCommand('cost-dashboard', 'set-budget-command', { id: 'coditect.costs.setBudget', label: 'Set Budget…' });
    export const EDIT_PRICES: Command = studioCommand('cost-dashboard', 'edit-prices', { id: 'coditect.costs.editPrices', label: 'Edit Price Overrides' });
    export const REFRESH: Command = studioCommand('cost-dashboard', 'refresh-command', { id: 'coditect.costs.refresh', label: 'Refresh Cost Dashboard' });
}
