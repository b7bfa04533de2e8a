import type { CostCalendar } from './cost-calendar';
import type { InfraCostMeter } from './infra-costs';
import type { LedgerRepository } from './ledger-repository';
import { picoToUsdString } from './money';

export const CostCsvColumns = [
    'time_utc', 'day', 'kind', 'agent_id', 'agent_name', 'task_id', 'provider', 'model',
    'input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'total_tokens',
    'cost_usd', 'priced_as', 'price_source',
] as const;

/**
 * One CSV field: quoted when it holds a separator, quote or line break; a leading = + - @ is
 * prefixed with ' so a spreadsheet never runs a name as a formula.
 */
export function csvField(value: string | number | null | undefined): string {
    if (value === null || value === undefined) {
        return '';
    }
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
        text = `'${text}`;
    }
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const dayText = (key: number) => `${Math.floor(key / 10_000)}-${String(Math.floor(key / 100) % 100).padStart(2, '0')}-${String(key % 100).padStart(2, '0')}`;

/**
 * Writes the ledger entries of [from, to) as CSV, a page at a time (awaiting `write` between
 * pages, so a million entries never sit in memory), then one `infrastructure` line per day when
 * infrastructure rates are configured. Costs are exact dollars (up to 12 decimals); an uncosted
 * entry has an empty cost_usd and priced_as "uncosted". The cost_usd column sums to the dashboard's total.
 */
export async function writeCostCsv(options: {
    readonly ledger: LedgerRepository;
    readonly calendar: CostCalendar;
    readonly infra: InfraCostMeter;
    readonly from: number;
    readonly to: number;
    readonly agentName: (id: string) => string;
    readonly write: (chunk: string) => Promise<void>;
    readonly pageSize?: number;
}): Promise<number> {
    const { ledger, calendar, infra, from, to, write } = options;
    const pageSize = options.pageSize ?? 5000;
    await write(`${CostCsvColumns.join(',')}\r\n`);
    let lines = 0;
    let after: { at: number; id: number } | undefined;
    for (;;) {
        const page = ledger.entries(from, to, after, pageSize);
        if (!page.length) {
            break;
        }
        const text = page.map(e => [
            new Date(e.at).toISOString(), dayText(e.day), 'model', e.agentId, options.agentName(e.agentId), e.taskId, e.provider, e.model,
            e.input, e.cacheRead, e.cacheWrite, e.output, e.reasoning, e.input + e.cacheRead + e.cacheWrite + e.output,
            e.costPico === undefined ? '' : picoToUsdString(e.costPico, 0), e.costPico === undefined ? 'uncosted' : e.pricedAs, e.priceSource ?? '',
        ].map(csvField).join(',')).join('\r\n');
        await write(`${text}\r\n`);
        lines += page.length;
        const last = page[page.length - 1];
        after = { at: last.at, id: last.id };
    }
    if (infra.configured) {
        const rows: string[] = [];
        for (let start = calendar.dayStart(from); start < to; start = calendar.nextDayStart(start)) {
            const cost = infra.costOf(Math.max(start, from), Math.min(calendar.nextDayStart(start), to));
            if (cost > 0n) {
                rows.push([new Date(Math.max(start, from)).toISOString(), dayText(calendar.dayKey(start)), 'infrastructure', '', '', '', '', '', '', '', '', '', '', '',
                    picoToUsdString(cost, 0), infra.detail(), 'configured rates'].map(csvField).join(','));
            }
        }
        if (rows.length) {
            await write(`${rows.join('\r\n')}\r\n`);
            lines += rows.length;
        }
    }
    return lines;
}
