import * as React from '@theia/core/shared/react';
import { codicon, ReactWidget, StatefulWidget } from '@theia/core/lib/browser';
import { Message } from '@theia/core/lib/browser/widgets/widget';
import { CommandService } from '@theia/core/lib/common/command';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { CostDashboard, CostRange, CostRanges } from '../common/cost-dashboard-protocol';
import { CostCommands } from './cost-commands';
import { CostDashboardModel } from './cost-dashboard-model';
import { AgentTable, BudgetBars, ModelTable, PriceTable, SummaryCard, TopTasks } from './cost-dashboard-sections';
import { agentColours, SpendChart } from './cost-spend-chart';
import { StudioViews } from '@coditect/studio-platform/common';

const K = 'coditect/cost-dashboard/';

/**
 * The Cost Dashboard's view: today and month-to-date totals, spend over time, per agent and per
 * model, the most expensive tasks, budgets and prices. What it shows is `CostDashboardModel`'s,
 * live: re-read whenever the backend says the costs changed (while visible; once shown again
 * otherwise).
 */
@injectable()
export class CostDashboardWidget extends ReactWidget implements StatefulWidget {
    static readonly ID = StudioViews.costDashboard;
    static readonly LABEL = nls.localize('coditect/cost-dashboard/view-title', 'Cost Dashboard');

    @inject(CostDashboardModel) readonly model: CostDashboardModel;
    @inject(CommandService) protected readonly commands: CommandService;

    @postConstruct()
    protected init(): void {
        this.id = CostDashboardWidget.ID;
        this.title.label = CostDashboardWidget.LABEL;
        this.title.caption = nls.localize('coditect/cost-dashboard/view-caption', 'Cost Dashboard: what the agents and the workspace cost');
        this.title.iconClass = codicon('graph');
        this.title.closable = true;
        this.addClass(StudioViews.costDashboard);
        this.scrollOptions = { suppressScrollX: true };
        this.model.setVisibility(() => this.isVisible);
        this.toDispose.push(this.model);
        this.toDispose.push(this.model.onDidChange(() => this.update()));
    }

    storeState(): object {
        return { range: this.model.range };
    }

    restoreState(state: { range?: CostRange }): void {
        this.model.restoreRange(state.range);
    }

    get dashboard(): CostDashboard | undefined {
        return this.model.dashboard;
    }

    refresh(): Promise<void> {
        return this.model.refresh();
    }

    protected override onAfterShow(msg: Message): void {
        super.onAfterShow(msg);
        this.model.shown();
    }

    protected override onActivateRequest(msg: Message): void {
        super.onActivateRequest(msg);
        this.node.focus();
    }

    protected render(): React.ReactNode {
        const model = this.model;
        const d = model.dashboard;
        if (!d) {
            return <div className='theia-widget-noInfo'>{model.loadError
                ? nls.localize(`${K}load-failed`, 'The costs could not be loaded: {0}', model.loadError)
                : nls.localize(`${K}loading`, 'Loading the costs…')}</div>;
        }
        const display = model.display;
        const colours = agentColours(d.byAgent.map(a => a.agentId));
        const admin = model.canAdminister;
        const rangeIsPeriod = d.range.key === 'today' || d.range.key === 'month';
        const notices = [...d.notices, ...(model.loadError ? [nls.localize(`${K}last-figures`, 'Showing the last figures: {0}', model.loadError)] : [])];
        return <div className='coditect-costs'>
            {this.renderToolbar(admin)}
            {notices.map(n => <div key={n} className='coditect-costs-notice'><span className={codicon('warning')} /> {n}</div>)}
            {model.overridesIgnored && <div className='coditect-costs-notice'><span className={codicon('info')} /> {nls.localize(`${K}overrides-ignored`,
                'Your setting coditect.costs.priceOverrides is not applied: only admins set the workspace\'s prices.')}</div>}
            <div className='coditect-costs-cards'>
                <SummaryCard id='today' title={nls.localize(`${K}today`, 'Today')} summary={d.today} display={display} />
                <SummaryCard id='month' title={nls.localize(`${K}month-to-date`, 'Month to date')} summary={d.monthToDate} display={display} />
                {!rangeIsPeriod && <SummaryCard id='range' title={d.range.label} summary={d.total} display={display} />}
            </div>
            <section className='coditect-costs-section'>
                <h3>{nls.localize(`${K}spend-over-time`, 'Spend over time')} <span className='coditect-costs-dim'>{nls.localize(`${K}spend-over-time-detail`,
                    '· {0}, by {1}', d.range.label.toLowerCase(), d.series.bucket)}</span></h3>
                {d.series.agents.length || d.total.infra.configured
                    ? <SpendChart dashboard={d} display={display} colours={colours} showInfra={d.total.infra.configured} />
                    : <div className='coditect-costs-empty'>{nls.localize(`${K}nothing-spent`, 'Nothing spent yet in this range. Costs appear here as agents use tokens.')}</div>}
            </section>
            <div className='coditect-costs-columns'>
                <section className='coditect-costs-section'>
                    <h3>{nls.localize(`${K}by-agent`, 'By agent')}</h3>
                    <AgentTable dashboard={d} display={display} colours={colours} />
                </section>
                <section className='coditect-costs-section'>
                    <h3>{nls.localize(`${K}by-model`, 'By model')}</h3>
                    <ModelTable dashboard={d} display={display} />
                </section>
            </div>
            <section className='coditect-costs-section'>
                <h3>{nls.localize(`${K}budgets`, 'Budgets')}</h3>
                <BudgetBars budgets={d.budgets} display={display} canEdit={admin}
                    onAdd={() => model.addBudget()} onEdit={b => model.editBudget(b)} onRemove={b => model.removeBudget(b)} />
            </section>
            <section className='coditect-costs-section'>
                <h3>{nls.localize(`${K}top-tasks`, 'Most expensive tasks')}</h3>
                <TopTasks dashboard={d} display={display} onOpen={taskId => model.openTask(taskId)} />
            </section>
            {model.prices && <section className='coditect-costs-section'>
                <h3>
                    {nls.localize(`${K}prices`, 'Prices')}
                    {admin && <a className='coditect-costs-link coditect-costs-h3-action' onClick={() => this.commands.executeCommand(CostCommands.EDIT_PRICES.id)}>
                        {nls.localize(`${K}edit-overrides`, 'Edit overrides')}
                    </a>}
                </h3>
                {model.prices.fileError && <div className='coditect-costs-notice'><span className={codicon('warning')} /> {model.prices.fileError}</div>}
                <PriceTable prices={model.prices} showAll={model.showAllPrices} onToggleAll={() => model.toggleAllPrices()} />
            </section>}
            <div className='coditect-costs-footer'>
                {nls.localize(`${K}footer-days`, 'Days run in {0}.', d.timeZone)} {nls.localize(`${K}footer-exact`, 'Model spend is exact (to 10⁻¹² US dollars) from the recorded tokens')}
                {display.currency !== 'USD' ? nls.localize(`${K}footer-currency`, ', shown in {0} at {1} per US dollar', display.currency, display.rate) : ''};
                {' '}{nls.localize(`${K}footer-infra`, 'infrastructure is an estimate from configured rates.')} {model.user && (admin
                    ? nls.localize(`${K}signed-in-admin`, 'Signed in as {0} (admin).', model.user)
                    : nls.localize(`${K}signed-in`, 'Signed in as {0}.', model.user))}
            </div>
        </div>;
    }

    protected renderToolbar(admin: boolean): React.ReactNode {
        const range = this.model.range;
        return <div className='coditect-costs-toolbar'>
            <div className='coditect-costs-ranges' role='radiogroup' aria-label={nls.localize(`${K}range`, 'Range')}>
                {CostRanges.map(r => <button key={r.key} role='radio' aria-checked={r.key === range}
                    className={`theia-button ${r.key === range ? 'main' : 'secondary'} coditect-costs-range`} data-range={r.key}
                    onClick={() => this.model.setRange(r.key)}>{r.label}</button>)}
            </div>
            <span className='coditect-costs-spacer' />
            <button className='theia-button secondary' title={nls.localize(`${K}export-tooltip`, 'Download every ledger entry of this range as CSV')}
                onClick={() => this.commands.executeCommand(CostCommands.EXPORT_CSV.id, range)}>
                <span className={codicon('desktop-download')} /> {nls.localize(`${K}export`, 'Export CSV')}
            </button>
            {admin && <button className='theia-button secondary coditect-costs-set-budget' onClick={() => this.model.addBudget()}>
                <span className={codicon('add')} /> {nls.localize(`${K}set-budget`, 'Set Budget…')}
            </button>}
            <button className='theia-button secondary coditect-costs-icon-button' title={nls.localize(`${K}refresh`, 'Refresh')} onClick={() => this.model.refresh()}>
                <span className={codicon('refresh')} />
            </button>
        </div>;
    }
}
