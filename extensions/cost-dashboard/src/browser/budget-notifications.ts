import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { BudgetEvent, CostDashboardService } from '../common/cost-dashboard-protocol';
import { BudgetEditor } from './budget-editor';
import { CostClientImpl } from './cost-client-impl';
import { CostCommands } from './cost-commands';
import { CostWatcher } from './cost-watcher';

const OPEN = nls.localize('coditect/cost-dashboard/open-dashboard', 'Open Cost Dashboard');
const RAISE = nls.localize('coditect/cost-dashboard/raise-budget', 'Raise Budget…');

/**
 * Budget events as IDE notifications: a warning at 50/75/90%, an error when a budget is used up
 * (admins may raise it from the notification), and news when paused agents resume. Changes made
 * by admins show in the dashboard and the status bar, not as notifications.
 */
@injectable()
export class BudgetNotifications implements FrontendApplicationContribution {

    @inject(CostClientImpl)
    protected readonly client: CostClientImpl;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(CommandService)
    protected readonly commands: CommandService;

    @inject(CostWatcher)
    protected readonly watcher: CostWatcher;

    @inject(BudgetEditor)
    protected readonly editor: BudgetEditor;

    @inject(CostDashboardService)
    protected readonly service: CostDashboardService;

    onStart(): void {
        this.client.onBudget(event => void this.notify(event));
    }

    protected async notify(event: BudgetEvent): Promise<void> {
        let action: string | undefined;
        switch (event.kind) {
            case 'warning':
                action = await this.messages.warn(event.message, OPEN);
                break;
            case 'exceeded':
                action = await (this.watcher.canAdminister ? this.messages.error(event.message, RAISE, OPEN) : this.messages.error(event.message, OPEN));
                break;
            case 'resumed':
                action = await this.messages.info(event.message, OPEN);
                break;
            default:
                return;
        }
        if (action === OPEN) {
            await this.commands.executeCommand(CostCommands.SHOW.id);
        } else if (action === RAISE) {
            const key = (b: BudgetEvent['budget']) => `${b.scope === 'agent' ? b.agentId : ''}/${b.period}`;
            const current = (await this.service.dashboard('today')).budgets.find(b => key(b.budget) === key(event.budget));
            await this.editor.set({ budget: event.budget, current });
        }
    }
}
