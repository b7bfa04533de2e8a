import { ConfirmDialog } from '@theia/core/lib/browser/dialogs';
import { QuickInputService } from '@theia/core/lib/browser/quick-input/quick-input-service';
import { MessageService } from '@theia/core/lib/common/message-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { BudgetKey, BudgetPeriod, BudgetStatus, CostDashboardService } from '../common/cost-dashboard-protocol';
import { budgetAmountProblem, exactUsd } from '../common/money-format';

const periodLabel: Record<BudgetPeriod, string> = { day: 'Daily', month: 'Monthly' };

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
                { label: 'Workspace', description: 'every agent together; at 100% all of them pause', value: { scope: 'workspace' as const } },
                ...agents.map(a => ({ label: a.agentName, description: `agent ${a.agentId}`, value: { scope: 'agent' as const, agentId: a.agentId } })),
            ], { title: 'Set Budget (1/3)', placeholder: 'A budget for the whole workspace or for one agent?' });
            if (!scope) {
                return undefined;
            }
            const period = await this.quickInput.showQuickPick([
                { label: 'Daily', description: 'starts again every day at midnight', value: 'day' as BudgetPeriod },
                { label: 'Monthly', description: 'starts again on the first of every month', value: 'month' as BudgetPeriod },
            ], { title: 'Set Budget (2/3)', placeholder: `${scope.label}: per day or per month?` });
            if (!period) {
                return undefined;
            }
            budget = { ...scope.value, period: period.value };
        }
        const who = budget.scope === 'workspace' ? 'the workspace' : (preset.current?.label.split(',')[0] ?? budget.agentId);
        const amount = await this.quickInput.input({
            title: preset.budget ? `Edit Budget: ${preset.current?.label ?? ''}` : 'Set Budget (3/3)',
            prompt: `${periodLabel[budget.period]} budget for ${who}, in US dollars. At 50, 75 and 90% you are warned; at 100% ${budget.scope === 'workspace' ? 'every agent pauses' : 'the agent pauses'} after its current step.`,
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
            this.messages.error(`The budget was not set: ${errorText(error)}`);
            return undefined;
        }
    }

    async remove(status: BudgetStatus): Promise<boolean> {
        const paused = status.pausedAgents.length ? ` The agents it holds paused (${status.pausedAgents.join(', ')}) resume.` : '';
        const confirmed = await new ConfirmDialog({
            title: 'Remove Budget',
            msg: `Remove the budget "${status.label}"?${paused}`,
            ok: 'Remove',
        }).open();
        if (!confirmed) {
            return false;
        }
        try {
            await this.service.removeBudget(status.budget);
            return true;
        } catch (error) {
            this.messages.error(`The budget was not removed: ${errorText(error)}`);
            return false;
        }
    }
}

export function errorText(error: unknown): string {
    return (error instanceof Error ? error.message : String(error)).replace(/^Request '[^']*' failed\s*/, '');
}
