import { Disposable, Emitter, Event } from '../common/emitter';
import type { SqliteDatabase } from '../database/sqlite-database';
import type { ComponentHealth } from '../health/workspace-health';
import { BudgetManager } from './budgets';
import { CostCalendar, costCalendarFromEnv } from './cost-calendar';
import type { CostAgents } from './cost-agents';
import { buildDashboard, rangeBounds } from './cost-dashboard-query';
import { writeCostCsv } from './cost-export';
import { CostLedger } from './cost-ledger';
import { BudgetEvent, BudgetKey, BudgetStatus, CostDashboard, CostRange, CostRangeLabels, CostRecord, ModelPriceView, PriceEntryView, PriceListView, SpendAtAGlance } from './cost-types';
import { InfraCostMeter, resolveInfraConfig } from './infra-costs';
import { formatUsd, parseUsd, picoPerTokenToUsdPerMillion } from './money';
import { parsePriceOverrides } from './price-file';
import { PriceFilePath, PriceFileWatcher } from './price-file-watcher';
import { PriceTable } from './price-table';
import { TaskTreeBudgets } from './task-tree-budgets';
import type { PriceInterval, PricePoint } from './price-types';

/** What changed, for views that re-read (the dashboard, the status bar). */
export type CostsChange =
    | { readonly kind: 'recorded'; readonly count: number }
    | { readonly kind: 'prices' }
    | { readonly kind: 'budgets' }
    /** A minute of infrastructure cost accrued (only when rates are configured). */
    | { readonly kind: 'infra' };

export interface WorkspaceCostsOptions {
    /** `metrics.db`: token_usage (read), the ledger and budgets (written). */
    readonly db: SqliteDatabase;
    readonly workspaceDir: string;
    readonly dataDir: string;
    readonly agents: CostAgents;
    readonly calendar?: CostCalendar;
    readonly now?: () => number;
    readonly env?: NodeJS.ProcessEnv;
    /** The shipped price list (tests give their own). */
    readonly defaultPrices?: readonly PricePoint[];
}

/** Live usage is priced in small batches; a larger backlog (after a restart, say) in chunks between which the event loop breathes. */
const LiveBatch = 200;
const BackfillChunk = 5000;
const OverridesKey = 'price-overrides';

/**
 * The workspace's costs (`core.costs`): the price table, the cost ledger, the budgets and the
 * infrastructure meter, wired together.
 *
 * Data flow: the orchestrator records token usage in `metrics.db` and says so
 * (`CostAgents.onUsageRecorded`); the ledger prices the new rows (`onCostRecorded`), then the
 * budgets are evaluated (`onBudgetEvent`, pausing or resuming agents). A price change (the file,
 * the preference) reprices the models whose schedule changed and re-evaluates the budgets.
 */
export class WorkspaceCosts {
    readonly prices: PriceTable;
    readonly ledger: CostLedger;
    readonly budgets: BudgetManager;
    /** The budgets of task trees (a root task's `budgetUsd`). */
    protected readonly treeBudgets: TaskTreeBudgets;
    readonly infra: InfraCostMeter;
    readonly calendar: CostCalendar;
    readonly priceFile: PriceFileWatcher;

    protected readonly recorded = new Emitter<CostRecord>();
    /** Every ledger entry recorded live, once priced (not those of a catch-up after a restart). */
    readonly onCostRecorded: Event<CostRecord> = this.recorded.event;
    protected readonly changed = new Emitter<CostsChange>();
    readonly onDidChange: Event<CostsChange> = this.changed.event;
    /** Budget warnings, exhaustion (agents paused), resumes and changes. */
    readonly onBudgetEvent: Event<BudgetEvent>;

    protected readonly now: () => number;
    protected readonly toDispose: Disposable[] = [];
    protected backfilling: Promise<void> | undefined;
    protected overridesError: string | undefined;
    protected overridesMeta: { by?: string; at?: number } = {};
    protected infraError: string | undefined;
    protected disposed = false;

    constructor(protected readonly options: WorkspaceCostsOptions) {
        this.now = options.now ?? Date.now;
        this.calendar = options.calendar ?? costCalendarFromEnv(options.env);
        this.prices = new PriceTable(options.defaultPrices);
        this.priceFile = new PriceFileWatcher(options.workspaceDir);
        this.ledger = new CostLedger(options.db, this.prices, this.calendar, this.now);
        this.budgets = new BudgetManager(options.db, this.ledger.repository, this.calendar, options.agents, this.now);
        this.treeBudgets = new TaskTreeBudgets(this.ledger.repository, options.agents);
        this.onBudgetEvent = this.budgets.onBudgetEvent;
        this.infra = new InfraCostMeter(options.db, this.infraConfig(), this.now);
    }

    /**
     * Loads the prices (defaults, the preference's last overrides, the file), reprices what
     * changed while the studio was down, prices a small backlog at once (a large one in the
     * background), evaluates the budgets and starts listening.
     */
    start(): void {
        this.loadOverrides();
        this.priceFile.start();
        this.prices.setLayer('file', this.priceFile.prices?.points ?? [], false);
        this.infra.reconfigure(this.infraConfig());
        this.ledger.ensureTimeZone();
        this.ledger.repriceChanged();
        this.infra.onTick = () => {
            if (this.infra.configured && !this.disposed) {
                this.changed.fire({ kind: 'infra' });
            }
        };
        this.infra.start();
        this.toDispose.push(
            this.priceFile.onChange(() => this.onPriceFileChange()),
            this.prices.onChange(() => this.onPricesChange()),
            this.options.agents.onUsageRecorded(() => this.catchUp()),
            this.budgets.onBudgetEvent(() => this.changed.fire({ kind: 'budgets' })),
        );
        if (this.ledger.backlog() <= BackfillChunk) {
            this.record(this.ledger.sync(BackfillChunk), false);
        }
        this.budgets.start();
        this.catchUp();
    }

    dispose(): void {
        this.disposed = true;
        this.toDispose.splice(0).forEach(d => d.dispose());
        this.budgets.dispose();
        this.priceFile.dispose();
        this.prices.dispose();
        this.infra.dispose();
        this.recorded.dispose();
        this.changed.dispose();
    }

    /** Resolves once the ledger holds every usage row recorded so far. */
    async caughtUp(): Promise<void> {
        this.catchUp();
        await this.backfilling;
    }

    // ---- reads ----

    dashboard(range: CostRange = 'month'): CostDashboard {
        if (!(range in CostRangeLabels)) {
            throw new Error(`The dashboard's range is one of ${Object.keys(CostRangeLabels).join(', ')}, not "${range}".`);
        }
        return buildDashboard({
            ledger: this.ledger.repository, calendar: this.calendar, infra: this.infra, prices: this.prices,
            agents: this.options.agents.list(), budgets: this.budgets.statuses(), taskTitle: id => this.options.agents.taskTitle(id),
            notices: this.notices(), now: this.now(),
        }, range);
    }

    /** Today's and the month's spend and the budgets' levels: cheap enough for every change. */
    atAGlance(): SpendAtAGlance {
        const now = this.now();
        const todayKey = this.calendar.dayKey(now);
        const today = this.ledger.repository.spend(todayKey, todayKey);
        const month = this.ledger.repository.spend(this.calendar.monthKeys(now).first, todayKey);
        return {
            todayPico: today.costPico.toString(), todayInfraPico: this.infra.costOf(this.calendar.dayStart(now), now).toString(), todayUncostedTokens: today.uncostedTokens,
            monthPico: month.costPico.toString(), monthInfraPico: this.infra.costOf(this.calendar.monthStart(now), now).toString(),
            budgets: this.budgets.statuses().map(b => ({ label: b.label, percent: b.percent, level: b.level, spentPico: b.spentPico, limitPico: b.limitPico })),
        };
    }

    budgetStatuses(): BudgetStatus[] {
        return this.budgets.statuses();
    }

    priceList(): PriceListView {
        const now = this.now();
        const inUse = new Set(this.ledger.repository.models());
        const models = [...new Set([...inUse, ...this.prices.knownModels()])].map((model): ModelPriceView => {
            const history = this.prices.schedule(model).filter(i => i.price).map(entryView);
            const current = this.prices.schedule(model).find(i => i.from <= now && (i.to === undefined || now < i.to));
            return { model, inUse: inUse.has(model), current: current?.price ? entryView(current) : undefined, history };
        }).sort((a, b) => Number(b.inUse) - Number(a.inUse) || a.model.localeCompare(b.model));
        return {
            models, fileError: this.priceFile.error, filePath: PriceFilePath,
            overrides: { models: new Set(this.prices.points('preference').map(p => p.model)).size, updatedBy: this.overridesMeta.by, updatedAt: this.overridesMeta.at, error: this.overridesError },
        };
    }

    /** The ledger as CSV for the range (see cost-export.ts). */
    exportCsv(range: CostRange, write: (chunk: string) => Promise<void>): Promise<number> {
        const now = this.now();
        const { from } = rangeBounds(this.calendar, range, now);
        const names = new Map(this.options.agents.list().map(a => [a.id, a.name]));
        return writeCostCsv({
            ledger: this.ledger.repository, calendar: this.calendar, infra: this.infra, from, to: now + 1, agentName: id => names.get(id) ?? id, write,
        });
    }

    // ---- admin actions (the caller checks the role) ----

    setBudget(key: BudgetKey, limitUsd: string | number, by: string): BudgetStatus {
        return this.budgets.set(key, parseUsd(limitUsd, 'The budget'), by);
    }

    removeBudget(key: BudgetKey, by: string): void {
        this.budgets.remove(key, by);
    }

    /**
     * The preference `coditect.costs.priceOverrides`, pushed by an admin's studio: validated
     * (a PriceFileError names every problem), kept in metrics.db so it applies with no browser
     * connected, and applied (repricing what it changes). The same value again changes nothing.
     */
    setPriceOverrides(value: unknown, by: string): PriceListView {
        const text = JSON.stringify(value ?? {});
        const stored = this.ledger.repository.state(OverridesKey);
        if (stored && (JSON.parse(stored) as { value: string }).value === text) {
            return this.priceList();
        }
        const points = parsePriceOverrides(value ?? {});
        const at = this.now();
        this.ledger.repository.setState(OverridesKey, JSON.stringify({ value: text, by, at }), at);
        this.overridesMeta = { by, at };
        this.overridesError = undefined;
        this.prices.setLayer('preference', points);
        return this.priceList();
    }

    health(): ComponentHealth {
        const now = this.now();
        const today = this.ledger.repository.spend(this.calendar.dayKey(now), this.calendar.dayKey(now));
        const month = this.ledger.repository.spend(this.calendar.monthKeys(now).first, this.calendar.dayKey(now));
        const budgets = this.budgets.statuses();
        const problems = [this.priceFile.error, this.overridesError, this.infraError].filter((p): p is string => !!p);
        const backlog = this.ledger.backlog();
        const used = budgets.filter(b => b.level === 'exceeded').map(b => b.label);
        return {
            id: 'costs', label: 'Costs',
            status: problems.length ? 'degraded' : 'ok',
            detail: [
                `Today ${formatUsd(today.costPico)}, this month ${formatUsd(month.costPico)}${month.uncostedTokens ? ` (+${month.uncostedTokens} uncosted tokens)` : ''}.`,
                budgets.length ? `${budgets.length} budget${budgets.length > 1 ? 's' : ''}${used.length ? `, used up: ${used.join(', ')}` : ''}.` : 'No budgets.',
                backlog ? `Pricing ${backlog} usage rows recorded earlier.` : '',
                ...problems,
            ].filter(Boolean).join(' '),
            metrics: { todayPico: today.costPico.toString(), monthPico: month.costPico.toString(), budgets: budgets.length, budgetsUsedUp: used.length, backlog },
        };
    }

    // ---- internals ----

    protected notices(): string[] {
        const backlog = this.ledger.backlog();
        return [
            this.priceFile.error,
            this.overridesError,
            this.infraError,
            backlog ? `Still pricing ${backlog} usage rows recorded earlier; totals grow as they are added.` : undefined,
        ].filter((n): n is string => !!n);
    }

    /** Prices new usage rows: small batches at once, a backlog in the background. */
    protected catchUp(): void {
        if (this.backfilling || this.disposed) {
            return;
        }
        const records = this.ledger.sync(LiveBatch);
        this.record(records, true);
        if (records.length === LiveBatch) {
            this.backfilling = this.backfill().finally(() => {
                this.backfilling = undefined;
            });
        }
    }

    protected async backfill(): Promise<void> {
        while (!this.disposed) {
            await new Promise(resolve => setImmediate(resolve));
            if (this.disposed || !this.options.db.isOpen) {
                return;
            }
            const records = this.ledger.sync(BackfillChunk);
            if (!records.length) {
                return;
            }
            this.record(records, false);
        }
    }

    protected record(records: readonly CostRecord[], live: boolean): void {
        if (!records.length) {
            return;
        }
        if (live) {
            records.forEach(r => this.recorded.fire(r));
        }
        this.changed.fire({ kind: 'recorded', count: records.length });
        const taskByAgent = new Map<string, number | undefined>();
        records.forEach(r => taskByAgent.set(r.agentId, r.taskId));
        this.budgets.evaluate({ kind: 'usage', taskByAgent });
        // Backfilled records too (a burst larger than a live batch is priced in the background): a
        // tree whose root has ended is skipped, so history priced after a restart cancels nothing.
        this.treeBudgets.evaluate(records.map(r => r.taskId));
    }

    protected onPriceFileChange(): void {
        this.infra.reconfigure(this.infraConfig());
        this.prices.setLayer('file', this.priceFile.prices?.points ?? []);
        // The error may have changed without the prices.
        this.changed.fire({ kind: 'prices' });
    }

    protected onPricesChange(): void {
        if (this.disposed) {
            return;
        }
        const repriced = this.ledger.repriceChanged();
        this.changed.fire({ kind: 'prices' });
        if (repriced.length) {
            this.budgets.evaluate({ kind: 'repriced' });
        }
    }

    protected loadOverrides(): void {
        const stored = this.ledger.repository.state(OverridesKey);
        if (!stored) {
            return;
        }
        try {
            const { value, by, at } = JSON.parse(stored) as { value: string; by: string; at: number };
            this.overridesMeta = { by, at };
            this.prices.setLayer('preference', parsePriceOverrides(JSON.parse(value)), false);
        } catch (error) {
            this.overridesError = `The stored price overrides could not be used (${(error as Error).message}); an admin's studio pushes them again when it connects.`;
        }
    }

    protected infraConfig(): ReturnType<typeof resolveInfraConfig> {
        try {
            this.infraError = undefined;
            return resolveInfraConfig(this.options.env ?? process.env, this.priceFile?.prices?.infrastructure, this.options.dataDir);
        } catch (error) {
            this.infraError = `Infrastructure rates: ${(error as Error).message}`;
            return resolveInfraConfig({}, undefined, this.options.dataDir);
        }
    }
}

function entryView(interval: PriceInterval): PriceEntryView {
    const p = interval.price!;
    const usd = picoPerTokenToUsdPerMillion;
    return {
        from: interval.from, to: interval.to, source: interval.source, pricedAs: interval.pricedAs,
        input: usd(p.input), output: usd(p.output), cacheRead: usd(p.cacheRead), cacheWrite: usd(p.cacheWrite),
        longContext: p.longContext && {
            aboveTokens: p.longContext.aboveTokens, input: usd(p.longContext.input), output: usd(p.longContext.output),
            cacheRead: usd(p.longContext.cacheRead), cacheWrite: usd(p.longContext.cacheWrite),
        },
        note: p.note,
    };
}
