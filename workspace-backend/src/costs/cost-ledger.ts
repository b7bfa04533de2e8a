import type { SqliteDatabase } from '../database/sqlite-database';
import type { CostCalendar } from './cost-calendar';
import type { CostRecord } from './cost-types';
import { LedgerEntryRow, LedgerRepository, UsageRow } from './ledger-repository';
import type { PriceTable } from './price-table';
import { costOf } from './price-types';

/**
 * The cost ledger: every row of `token_usage` priced exactly, once, at the price in effect at
 * its time, with rollups by day, hour and task for the dashboard and the budgets.
 *
 * Invariants:
 * - Entries are derived, never entered: entry `usage_id` is `token_usage.id`, with the same
 *   agent, task, model and token counts, so the ledger is exact to the token and catching up
 *   twice (a restart, a live event racing the backfill) changes nothing.
 * - Entries are appended in usage-id order: `sync` continues after the highest entry.
 * - An entry's cost is `costOf(tokens, price at its time)` or NULL when no price covered it; when
 *   a model's price schedule changes (`fingerprint`), its entries are priced again.
 */
export class CostLedger {
    readonly repository: LedgerRepository;
    protected cursor: number;
    /** Models whose price fingerprint is recorded in cost_state. */
    protected readonly fingerprinted = new Set<string>();

    constructor(db: SqliteDatabase, protected readonly prices: PriceTable, protected readonly calendar: CostCalendar, protected readonly now: () => number = Date.now) {
        this.repository = new LedgerRepository(db);
        this.cursor = this.repository.lastUsageId();
    }

    /** Usage rows not yet in the ledger. */
    backlog(): number {
        return Math.max(0, this.repository.lastTokenUsageId() - this.cursor);
    }

    /** Prices and appends up to `limit` usage rows not yet in the ledger; returns what it recorded. */
    sync(limit: number): CostRecord[] {
        const rows = this.repository.usageAfter(this.cursor, limit);
        if (!rows.length) {
            return [];
        }
        const entries = rows.map(row => this.price(row));
        this.repository.insert(entries);
        this.cursor = rows[rows.length - 1].id;
        return entries.map(toRecord);
    }

    /**
     * Prices every model's entries again whose price schedule changed since they were priced
     * (a new prices file, a pushed preference, new shipped defaults after an upgrade). Returns the
     * models repriced.
     */
    repriceChanged(): string[] {
        const repriced: string[] = [];
        for (const model of this.repository.models()) {
            const fingerprint = this.prices.fingerprint(model);
            const key = `price:${model}`;
            if (this.repository.state(key) !== fingerprint) {
                this.repository.reprice(model, this.prices.schedule(model));
                this.repository.setState(key, fingerprint, this.now());
                repriced.push(model);
            }
            this.fingerprinted.add(model);
        }
        return repriced;
    }

    /** The day keys were computed in another time zone: recompute them (and the daily rollup). */
    ensureTimeZone(): boolean {
        const recorded = this.repository.state('timezone');
        if (recorded === this.calendar.timeZone) {
            return false;
        }
        if (recorded !== undefined) {
            this.repository.rebuildDays(at => this.calendar.dayKey(at));
        }
        this.repository.setState('timezone', this.calendar.timeZone, this.now());
        return recorded !== undefined;
    }

    protected price(row: UsageRow): LedgerEntryRow {
        const tokens = { input: row.input, output: row.output, cacheRead: row.cacheRead, cacheWrite: row.cacheWrite, reasoning: row.reasoning };
        const found = this.prices.priceAt(row.model, row.at);
        // Fingerprints are kept per model so a schedule change reprices; a new model's is recorded at its first entry.
        if (!this.fingerprinted.has(row.model)) {
            const key = `price:${row.model}`;
            if (this.repository.state(key) === undefined) {
                this.repository.setState(key, this.prices.fingerprint(row.model), this.now());
            }
            this.fingerprinted.add(row.model);
        }
        return {
            ...row, day: this.calendar.dayKey(row.at),
            costPico: found ? costOf(tokens, found.point) : undefined, pricedAs: found?.pricedAs, priceSource: found?.source,
        };
    }
}

function toRecord(e: LedgerEntryRow): CostRecord {
    return {
        usageId: e.id, at: e.at, agentId: e.agentId, taskId: e.taskId ?? undefined, provider: e.provider, model: e.model,
        tokens: { input: e.input, output: e.output, cacheRead: e.cacheRead, cacheWrite: e.cacheWrite, reasoning: e.reasoning },
        costPico: e.costPico === undefined ? null : e.costPico.toString(),
    };
}
