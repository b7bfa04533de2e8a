import { ConfirmDialog } from '@theia/core/lib/browser/dialogs';
import { QuickInputService } from '@theia/core/lib/browser/quick-input/quick-input-service';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { BudgetKey, BudgetPeriod, BudgetStatus, CostDashboardService } from '../common/cost-dashboard-protocol';
import { budgetAmountProblem, exactUsd } from '../common/money-format';

const periodLabel = (period: BudgetPeriod) => period === 'day' ? nls.localize('coditect/cost-dashboard/daily', 'Daily') : nls.localize('coditect/cost-dashboard/monthly', 'Monthly');

/**
 * Setting and removing budgets, for admins: a few quick-input steps (what, which period, how
 * much). The backend checks the role again and says why it refuses.
 */
@injectable()
export class BudgetEditor {

    @inject(QuickInputService)
    protected readonly quickInput: QuickInputService;

    @inject(CostDashboardService)
    protected readonly service: CostDashboardService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    /** Asks for whatever `preset` does not give; resolves with the new status, or undefined when cancelled or refused. */
    async set(preset: { budget?: BudgetKey; current?: BudgetStatus } = {}): Promise<BudgetStatus | undefined> {
        let budget = preset.budget;
        if (!budget) {
            const agents = (await this.service.dashboard('today')).byAgent;
            const scope = await this.quickInput.showQuickPick([
                { label: nls.localize('coditect/cost-dashboard/workspace', 'Workspace'), description: nls.localize('coditect/cost-dashboard/workspace-budget', 'every agent together; at 100% all of them pause'), value: { scope: 'workspace' as const } },
                ...agents.map(a => ({ label: a.agentName, description: nls.localize('coditect/cost-dashboard/agent-id', 'agent {0}', a.agentId), value: { scope: 'agent' as const, agentId: a.agentId } })),
            ], { title: nls.localize('coditect/cost-dashboard/set-budget-1', 'Set Budget (1/3)'), placeholder: nls.localize('coditect/cost-dashboard/budget-scope', 'A budget for the whole workspace or for one agent?') });
            if (!scope) {
                return undefined;
            }
            const period = await this.quickInput.showQuickPick([
                { label: periodLabel('day'), description: nls.localize('coditect/cost-dashboard/daily-detail', 'starts again every day at midnight'), value: 'day' as BudgetPeriod },
                { label: periodLabel('month'), description: nls.localize('coditect/cost-dashboard/monthly-detail', 'starts again on the first of every month'), value: 'month' as BudgetPeriod },
            ], { title: nls.localize('coditect/cost-dashboard/set-budget-2', 'Set Budget (2/3)'), placeholder: nls.localize('coditect/cost-dashboard/budget-period', '{0}: per day or per month?', scope.label) });
            if (!period) {
                return undefined;
            }
            budget = { ...scope.value, period: period.value };
        }
        const who = budget.scope === 'workspace' ? nls.localize('coditect/cost-dashboard/the-workspace', 'the workspace') : (preset.current?.label.split(',')[0] ?? budget.agentId);
        const amount = await this.quickInput.input({
            title: preset.budget ? nls.localize('coditect/cost-dashboard/edit-budget', 'Edit Budget: {0}', preset.current?.label ?? '') : nls.localize('coditect/cost-dashboard/set-budget-3', 'Set Budget (3/3)'),
            prompt: nls.localize('coditect/cost-dashboard/budget-amount', '{0} budget for {1}, in US dollars. At 50, 75 and 90% you are warned; at 100% {2} after its current step.', periodLabel(budget.period), who,
                budget.scope === 'workspace' ? nls.localize('coditect/cost-dashboard/every-agent-pauses', 'every agent pauses') : nls.localize('coditect/cost-dashboard/agent-pauses', 'the agent pauses')),
            value: preset.current ? exactUsd(preset.current.limitPico) : undefined,
            placeHolder: '25.00',
            validateInput: async text => budgetAmountProblem(text),
        });
        if (amount === undefined) {
            return undefined;
        }
        try {
            return await this.service.setBudget(budget, amount.trim().replace(/^\$/, ''));
        } catch (error) {
            this.messages.error(nls.localize('coditect/cost-dashboard/budget-not-set', 'The budget was not set: {0}', errorText(error)));
            return undefined;
        }
    }

    async remove(status: BudgetStatus): Promise<boolean> {
        const paused = status.pausedAgents.length ? nls.localize('coditect/cost-dashboard/paused-resume', ' The agents it holds paused ({0}) resume.', status.pausedAgents.join(', ')) : '';
        const confirmed = await new ConfirmDialog({
            title: nls.localize('coditect/cost-dashboard/remove-budget-title', 'Remove Budget'),
            msg: nls.localize('coditect/cost-dashboard/remove-budget-confirm', 'Remove the budget "{0}"?{1}', status.label, paused),
            ok: nls.localize('coditect/cost-dashboard/remove', 'Remove'),
        }).open();
        if (!confirmed) {
            return false;
        }
        try {
            await this.service.removeBudget(status.budget);
            return true;
        } catch (error) {
            this.messages.error(nls.localize('coditect/cost-dashboard/budget-not-removed', 'The budget was not removed: {0}', errorText(error)));
            return false;
        }
    }
}

export function errorText(error: unknown): string {
    return (error instanceof Error ? error.message : String(error)).replace(/^Request '[^']*' failed\s*/, '');
}
