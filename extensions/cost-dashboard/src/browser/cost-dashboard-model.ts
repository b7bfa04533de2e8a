import { CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { runSharedCommand, SharedCommands } from '@coditect/studio-platform/common';
import { StudioViewModel } from '@coditect/studio-platform/browser';
import { BudgetStatus, CostDashboard, CostDashboardService, CostRange, CostRanges, PriceListView } from '../common/cost-dashboard-protocol';
import { CostCurrencyPreference, CostExchangeRatePreference, CostPreferences, CostPriceOverridesPreference } from '../common/cost-preferences';
import { MoneyDisplay } from '../common/money-format';
import { BudgetEditor, errorText } from './budget-editor';
import { CostWatcher } from './cost-watcher';

/**
 * The state of one Cost Dashboard: the range shown, the dashboard and prices read for it, and
 * whether they are stale. Re-read whenever the backend says the costs changed while the view is
 * on screen, else once it is shown again. Budget changes and "show the task" go through here.
 */
@injectable()
export class CostDashboardModel extends StudioViewModel {

    @inject(CostDashboardService) protected readonly service: CostDashboardService;
    @inject(CostWatcher) protected readonly watcher: CostWatcher;
    @inject(CostPreferences) protected readonly preferences: CostPreferences;
    @inject(BudgetEditor) protected readonly budgets: BudgetEditor;
    @inject(CommandRegistry) protected readonly commands: CommandRegistry;
    @inject(MessageService) protected readonly messages: MessageService;

    protected _range: CostRange = 'month';
    protected _data: CostDashboard | undefined;
    protected _prices: PriceListView | undefined;
    protected _loadError: string | undefined;
    protected _showAllPrices = false;
    protected stale = true;
    protected loading: Promise<void> | undefined;
    protected again = false;
    protected isShown: () => boolean = () => true;

    @postConstruct()
    protected init(): void {
        this.toDispose.push(this.watcher.onDidChange(() => this.onCostsChanged()));
        this.toDispose.push(this.preferences.onPreferenceChanged(e => {
            if (e.preferenceName === CostCurrencyPreference || e.preferenceName === CostExchangeRatePreference || e.preferenceName === CostPriceOverridesPreference) {
                this.fire();
            }
        }));
        void this.watcher.start();
        void this.refresh();
    }

    get range(): CostRange { return this._range; }
    get dashboard(): CostDashboard | undefined { return this._data; }
    get prices(): PriceListView | undefined { return this._prices; }
    get loadError(): string | undefined { return this._loadError; }
    get showAllPrices(): boolean { return this._showAllPrices; }
    /** True when the backend lets this user set budgets and prices (it checks again). */
    get canAdminister(): boolean { return this.watcher.canAdminister; }
    get user(): string { return this.watcher.user; }

    get display(): MoneyDisplay {
        return { currency: this.preferences[CostCurrencyPreference] || 'USD', rate: this.preferences[CostExchangeRatePreference] || 1 };
    }

    /** A non-admin's price overrides are not applied: the dashboard says so. */
    get overridesIgnored(): boolean {
        return !this.canAdminister && Object.keys(this.preferences[CostPriceOverridesPreference] ?? {}).length > 0;
    }

    /** The view says how to tell whether it is on screen. */
    setVisibility(isShown: () => boolean): void {
        this.isShown = isShown;
    }

    /** The range kept across reloads (the widget's stored state). */
    restoreRange(range: CostRange | undefined): void {
        if (range && CostRanges.some(r => r.key === range)) {
            this._range = range;
        }
    }

    setRange(range: CostRange): Promise<void> {
        this._range = range;
        return this.refresh();
    }

    toggleAllPrices(): void {
        this._showAllPrices = !this._showAllPrices;
        this.fire();
    }

    /** The view is on screen again: re-read what changed meanwhile. */
    shown(): void {
        if (this.stale) {
            void this.refresh();
        }
    }

    protected onCostsChanged(): void {
        this.stale = true;
        if (this.isShown()) {
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
                [this._data, this._prices] = await Promise.all([this.service.dashboard(this._range), this.service.priceList()]);
                this._loadError = undefined;
            } catch (error) {
                this._loadError = errorText(error);
            }
            this.fire();
        })().finally(() => {
            this.loading = undefined;
            if (this.again) {
                this.again = false;
                void this.refresh();
            }
        });
        return this.loading;
    }

    async addBudget(): Promise<void> {
        if (await this.budgets.set()) {
            void this.refresh();
        }
    }

    async editBudget(status: BudgetStatus): Promise<void> {
        if (await this.budgets.set({ budget: status.budget, current: status })) {
            void this.refresh();
        }
    }

    async removeBudget(status: BudgetStatus): Promise<void> {
        if (await this.budgets.remove(status)) {
            void this.refresh();
        }
    }

    /** The session timeline offers `SharedCommands.TIMELINE_REVEAL_TASK`; without it, say where the task can be seen. */
    async openTask(taskId: number): Promise<void> {
        if (this.commands.getCommand(SharedCommands.TIMELINE_REVEAL_TASK.id)) {
            try {
                await runSharedCommand(this.commands, SharedCommands.TIMELINE_REVEAL_TASK, { taskId });
            } catch (error) {
                this.messages.error(nls.localize('coditect/cost-dashboard/reveal-task-failed', 'Task #{0} could not be shown in the session timeline: {1}', taskId, errorText(error)));
            }
            return;
        }
        this.messages.info(nls.localize('coditect/cost-dashboard/no-timeline', 'The session timeline is not available in this studio; task #{0} is listed in CODITECT: Show Task Queue.', taskId));
    }
}
