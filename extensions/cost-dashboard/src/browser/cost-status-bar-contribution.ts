import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { StatusBar, StatusBarAlignment } from '@theia/core/lib/browser/status-bar/status-bar';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { SpendAtAGlance } from '../common/cost-dashboard-protocol';
import { CostCurrencyPreference, CostExchangeRatePreference, CostPreferences, CostStatusBarPreference } from '../common/cost-preferences';
import { formatMoney, formatPercent, MoneyDisplay } from '../common/money-format';
import { CostCommands } from './cost-commands';
import { CostWatcher } from './cost-watcher';

const COST_STATUS_BAR_ID = 'coditect-costs-today';

/** Today's spend (models and infrastructure) in the status bar; it warns as budgets fill up, and opens the Cost Dashboard. */
@injectable()
export class CostStatusBarContribution implements FrontendApplicationContribution {

    @inject(StatusBar)
    protected readonly statusBar: StatusBar;

    @inject(CostWatcher)
    protected readonly watcher: CostWatcher;

    @inject(CostPreferences)
    protected readonly preferences: CostPreferences;

    onStart(): void {
        this.watcher.onDidChange(() => this.render());
        this.preferences.onPreferenceChanged(e => {
            if ([CostCurrencyPreference, CostExchangeRatePreference, CostStatusBarPreference].includes(e.preferenceName)) {
                this.render();
            }
        });
        void this.watcher.start();
    }

    protected render(): void {
        const glance = this.watcher.atAGlance;
        if (!glance || !this.preferences[CostStatusBarPreference]) {
            this.statusBar.removeElement(COST_STATUS_BAR_ID);
            return;
        }
        const display: MoneyDisplay = { currency: this.preferences[CostCurrencyPreference] || 'USD', rate: this.preferences[CostExchangeRatePreference] || 1 };
        const today = (BigInt(glance.todayPico) + BigInt(glance.todayInfraPico)).toString();
        const worst = worstBudget(glance);
        this.statusBar.setElement(COST_STATUS_BAR_ID, {
            text: `$(${worst?.level === 'exceeded' ? 'warning' : 'credit-card'}) ${nls.localize('coditect/cost-dashboard/status-today', '{0}{1} today', formatMoney(today, display), glance.todayUncostedTokens ? nls.localize('coditect/cost-dashboard/plus-uncosted-mark', ' + uncosted') : '')}`,
            tooltip: this.tooltip(glance, display),
            alignment: StatusBarAlignment.LEFT,
            priority: 90,
            command: CostCommands.SHOW.id,
            className: `coditect-costs-status coditect-costs-status-${worst?.level ?? 'ok'}`,
            backgroundColor: worst?.level === 'exceeded' ? 'var(--theia-statusBarItem-errorBackground)' : worst?.level === 'warning' && worst.percent >= 90 ? 'var(--theia-statusBarItem-warningBackground)' : undefined,
            color: worst?.level === 'exceeded' ? 'var(--theia-statusBarItem-errorForeground)' : worst?.level === 'warning' && worst.percent >= 90 ? 'var(--theia-statusBarItem-warningForeground)' : undefined,
        });
    }

    protected tooltip(glance: SpendAtAGlance, display: MoneyDisplay): string {
        const lines = [
            nls.localize('coditect/cost-dashboard/status-today-detail', 'Today: {0} models, {1} infrastructure', formatMoney(glance.todayPico, display), formatMoney(glance.todayInfraPico, display)),
            nls.localize('coditect/cost-dashboard/status-month-detail', 'This month: {0} models, {1} infrastructure', formatMoney(glance.monthPico, display), formatMoney(glance.monthInfraPico, display)),
            ...(glance.todayUncostedTokens ? [nls.localize('coditect/cost-dashboard/status-uncosted', '{0} tokens today have no price (uncosted)', glance.todayUncostedTokens.toLocaleString())] : []),
            ...glance.budgets.map(b => nls.localize('coditect/cost-dashboard/status-budget', 'Budget {0}: {1} ({2} of {3})', b.label, formatPercent(b.percent), formatMoney(b.spentPico, display), formatMoney(b.limitPico, display, { round: true }))),
            nls.localize('coditect/cost-dashboard/status-click', 'Click for the Cost Dashboard'),
        ];
        return lines.join('\n');
    }
}

function worstBudget(glance: SpendAtAGlance): SpendAtAGlance['budgets'][number] | undefined {
    return [...glance.budgets].sort((a, b) => b.percent - a.percent)[0];
}
