import { Command } from '@theia/core/lib/common/command';

export namespace CostCommands {
    const category = 'CODITECT';
    export const SHOW: Command = { id: 'coditect.costs.show', category, label: 'Show Cost Dashboard', iconClass: 'codicon codicon-graph' };
    export const EXPORT_CSV: Command = { id: 'coditect.costs.exportCsv', category, label: 'Export Costs as CSV…', iconClass: 'codicon codicon-desktop-download' };
    export const SET_BUDGET: Command = { id: 'coditect.costs.setBudget', category, label: 'Set Budget…' };
    export const EDIT_PRICES: Command = { id: 'coditect.costs.editPrices', category, label: 'Edit Price Overrides' };
    export const REFRESH: Command = { id: 'coditect.costs.refresh', category, label: 'Refresh Cost Dashboard' };
    /** Contributed by the session timeline (issue 10): named here, not imported: extensions share commands, not code. */
    export const REVEAL_TASK_IN_TIMELINE = 'coditect.timeline.revealTask';
}
