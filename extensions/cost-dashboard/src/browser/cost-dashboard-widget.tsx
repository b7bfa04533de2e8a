import * as React from '@theia/core/shared/react';
import { codicon, ReactWidget, StatefulWidget } from '@theia/core/lib/browser';
import { Message } from '@theia/core/lib/browser/widgets/widget';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { BudgetStatus, CostDashboard, CostDashboardService, CostRange, CostRanges, PriceListView } from '../common/cost-dashboard-protocol';
import { CostCurrencyPreference, CostExchangeRatePreference, CostPreferences, CostPriceOverridesPreference } from '../common/cost-preferences';
import { MoneyDisplay } from '../common/money-format';
import { BudgetEditor, errorText } from './budget-editor';
import { CostCommands } from './cost-commands';
import { AgentTable, BudgetBars, ModelTable, PriceTable, SummaryCard, TopTasks } from './cost-dashboard-sections';
import { agentColours, SpendChart } from './cost-spend-chart';
import { CostWatcher } from './cost-watcher';

/**
 * The Cost Dashboard: today and month-to-date totals, spend over time, per agent and per
 * model, the most expensive tasks, budgets and prices; live, re-read whenever the backend says
 * the costs changed (while visible; once shown again otherwise).
 */
@injectable()
export class CostDashboardWidget extends ReactWidget implements StatefulWidget {
    static readonly ID = 'coditect-cost-dashboard';
    static readonly LABEL = 'Cost Dashboard';

    @inject(CostDashboardService)
    protected readonly service: CostDashboardService;

    @inject(CostWatcher)
    protected readonly watcher: CostWatcher;

    @inject(CostPreferences)
    protected readonly preferences: CostPreferences;

    @inject(BudgetEditor)
    protected readonly budgets: BudgetEditor;

    @inject(CommandRegistry)
    protected readonly commands: CommandRegistry;

    @inject(MessageService)
    protected readonly messages: MessageService;

    protected range: CostRange = 'month';
    protected data: CostDashboard | undefined;
    protected prices: PriceListView | undefined;
    protected loadError: string | undefined;
    protected showAllPrices = false;
    protected stale = true;
    protected loading: Promise<void> | undefined;
    protected again = false;

    @postConstruct()
    protected init(): void {
        this.id = CostDashboardWidget.ID;
        this.title.label = CostDashboardWidget.LABEL;
        this.title.caption = 'Cost Dashboard: what the agents and the workspace cost';
        this.title.iconClass = codicon('graph');
        this.title.closable = true;
        this.addClass('coditect-cost-dashboard');
        this.scrollOptions = { suppressScrollX: true };
        this.toDispose.push(this.watcher.onDidChange(() => this.onCostsChanged()));
        this.toDispose.push(this.preferences.onPreferenceChanged(e => {
            if (e.preferenceName === CostCurrencyPreference || e.preferenceName === CostExchangeRatePreference || e.preferenceName === CostPriceOverridesPreference) {
                this.update();
            }
        }));
        void this.watcher.start();
        void this.refresh();
    }

    storeState(): object {
        return { range: this.range };
    }

    restoreState(state: { range?: CostRange }): void {
        if (state.range && CostRanges.some(r => r.key === state.range)) {
            this.range = state.range;
        }
    }

    get dashboard(): CostDashboard | undefined {
        return this.data;
    }

    setRange(range: CostRange): void {
        this.range = range;
        void this.refresh();
    }

    protected override onAfterShow(msg: Message): void {
        super.onAfterShow(msg);
        if (this.stale) {
            void this.refresh();
        }
    }

    protected override onActivateRequest(msg: Message): void {
        super.onActivateRequest(msg);
        this.node.focus();
    }

    protected onCostsChanged(): void {
        this.stale = true;
        if (this.isVisible) {
            void this.refresh();
        }
    }

    /** Re-reads everything; a request made while one runs is served by one more read after it. */
    async refresh(): Promise<void> {
        if (this.loading) {
            this.again = true;
            return this.loading;
        }
        this.stale = false;
        this.loading = (async () => {
            try {
                [this.data, this.prices] = await Promise.all([this.service.dashboard(this.range), this.service.priceList()]);
                this.loadError = undefined;
            } catch (error) {
                this.loadError = errorText(error);
            }
            this.update();
        })().finally(() => {
            this.loading = undefined;
            if (this.again) {
                this.again = false;
                void this.refresh();
            }
        });
        return this.loading;
    }

    protected get display(): MoneyDisplay {
        return { currency: this.preferences[CostCurrencyPreference] || 'USD', rate: this.preferences[CostExchangeRatePreference] || 1 };
    }

    protected render(): React.ReactNode {
        const d = this.data;
        if (!d) {
            return <div className='theia-widget-noInfo'>{this.loadError ? `The costs could not be loaded: ${this.loadError}` : 'Loading the costs…'}</div>;
        }
        const display = this.display;
        const colours = agentColours(d.byAgent.map(a => a.agentId));
        const admin = this.watcher.canAdminister;
        const rangeIsPeriod = d.range.key === 'today' || d.range.key === 'month';
        const ignoredOverrides = !admin && Object.keys(this.preferences[CostPriceOverridesPreference] ?? {}).length > 0;
        return <div className='coditect-costs'>
            <div className='coditect-costs-toolbar'>
                <div className='coditect-costs-ranges' role='radiogroup' aria-label='Range'>
                    {CostRanges.map(r => <button key={r.key} role='radio' aria-checked={r.key === this.range}
                        className={`theia-button ${r.key === this.range ? 'main' : 'secondary'} coditect-costs-range`} data-range={r.key}
                        onClick={() => this.setRange(r.key)}>{r.label}</button>)}
                </div>
                <span className='coditect-costs-spacer' />
                <button className='theia-button secondary' title='Download every ledger entry of this range as CSV' onClick={() => this.commands.executeCommand(CostCommands.EXPORT_CSV.id, this.range)}>
                    <span className={codicon('desktop-download')} /> Export CSV
                </button>
                {admin && <button className='theia-button secondary coditect-costs-set-budget' onClick={() => this.addBudget()}>
                    <span className={codicon('add')} /> Set Budget…
                </button>}
                <button className='theia-button secondary coditect-costs-icon-button' title='Refresh' onClick={() => this.refresh()}><span className={codicon('refresh')} /></button>
            </div>
            {[...d.notices, ...(this.loadError ? [`Showing the last figures: ${this.loadError}`] : [])].map(n => <div key={n} className='coditect-costs-notice'><span className={codicon('warning')} /> {n}</div>)}
            {ignoredOverrides && <div className='coditect-costs-notice'><span className={codicon('info')} /> Your setting coditect.costs.priceOverrides is not applied: only admins set the workspace's prices.</div>}
            <div className='coditect-costs-cards'>
                <SummaryCard id='today' title='Today' summary={d.today} display={display} />
                <SummaryCard id='month' title='Month to date' summary={d.monthToDate} display={display} />
                {!rangeIsPeriod && <SummaryCard id='range' title={d.range.label} summary={d.total} display={display} />}
            </div>
            <section className='coditect-costs-section'>
                <h3>Spend over time <span className='coditect-costs-dim'>· {d.range.label.toLowerCase()}, by {d.series.bucket}</span></h3>
                {d.series.agents.length || d.total.infra.configured
                    ? <SpendChart dashboard={d} display={display} colours={colours} showInfra={d.total.infra.configured} />
                    : <div className='coditect-costs-empty'>Nothing spent yet in this range. Costs appear here as agents use tokens.</div>}
            </section>
            <div className='coditect-costs-columns'>
                <section className='coditect-costs-section'>
                    <h3>By agent</h3>
                    <AgentTable dashboard={d} display={display} colours={colours} />
                </section>
                <section className='coditect-costs-section'>
                    <h3>By model</h3>
                    <ModelTable dashboard={d} display={display} />
                </section>
            </div>
            <section className='coditect-costs-section'>
                <h3>Budgets</h3>
                <BudgetBars budgets={d.budgets} display={display} canEdit={admin}
                    onAdd={() => this.addBudget()} onEdit={b => this.editBudget(b)} onRemove={b => this.removeBudget(b)} />
            </section>
            <section className='coditect-costs-section'>
                <h3>Most expensive tasks</h3>
                <TopTasks dashboard={d} display={display} onOpen={taskId => this.openTask(taskId)} />
            </section>
            {this.prices && <section className='coditect-costs-section'>
                <h3>
                    Prices
                    {admin && <a className='coditect-costs-link coditect-costs-h3-action' onClick={() => this.commands.executeCommand(CostCommands.EDIT_PRICES.id)}>Edit overrides</a>}
                </h3>
                {this.prices.fileError && <div className='coditect-costs-notice'><span className={codicon('warning')} /> {this.prices.fileError}</div>}
                <PriceTable prices={this.prices} showAll={this.showAllPrices} onToggleAll={() => {
                    this.showAllPrices = !this.showAllPrices;
                    this.update();
                }} />
            </section>}
            <div className='coditect-costs-footer'>
                Days run in {d.timeZone}. Model spend is exact (to 10⁻¹² US dollars) from the recorded tokens{display.currency !== 'USD' ? `, shown in ${display.currency} at ${display.rate} per US dollar` : ''};
                infrastructure is an estimate from configured rates. {this.watcher.user && `Signed in as ${this.watcher.user}${admin ? ' (admin)' : ''}.`}
            </div>
        </div>;
    }

    protected async addBudget(): Promise<void> {
        if (await this.budgets.set()) {
            void this.refresh();
        }
    }

    protected async editBudget(status: BudgetStatus): Promise<void> {
        if (await this.budgets.set({ budget: status.budget, current: status })) {
            void this.refresh();
        }
    }

    protected async removeBudget(status: BudgetStatus): Promise<void> {
        if (await this.budgets.remove(status)) {
            void this.refresh();
        }
    }

    /** The session timeline (issue 10) offers `coditect.timeline.revealTask`; without it, say where the task can be seen. */
    protected async openTask(taskId: number): Promise<void> {
        if (this.commands.getCommand(CostCommands.REVEAL_TASK_IN_TIMELINE)) {
            try {
                await this.commands.executeCommand(CostCommands.REVEAL_TASK_IN_TIMELINE, { taskId });
                return;
            } catch (error) {
                this.messages.error(`Task #${taskId} could not be shown in the session timeline: ${errorText(error)}`);
                return;
            }
        }
        this.messages.info(`The session timeline is not available in this studio; task #${taskId} is listed in CODITECT: Show Task Queue.`);
    }
}
