import { parseUsdPerMillionTokens } from './money';
import type { PricePoint, TokenPrices } from './price-types';

/** Prices as vendors write them: USD per million tokens. */
interface ListPrice {
    readonly from: string;
    readonly input: string;
    readonly output: string;
    readonly cacheRead: string;
    readonly cacheWrite: string;
    readonly longContext?: { readonly aboveTokens: number; readonly input: string; readonly output: string; readonly cacheRead: string; readonly cacheWrite: string };
    readonly note?: string;
}

const anthropicNote = 'Anthropic list price; cache write at the 5-minute rate (1.25 x input; 1-hour cache writes cost 2 x input)';
const openaiNote = 'OpenAI list price (standard tier); writing the prompt cache costs nothing extra, so cache writes are billed as input';
const googleNote = 'Google AI Studio paid tier; cache read at the context-caching rate (cache storage per hour is not included)';
const moonshotNote = 'Moonshot platform price in USD; cache hits at the cache-hit rate';

const sonnetLongContext = { aboveTokens: 200_000, input: '6', output: '22.5', cacheRead: '0.6', cacheWrite: '7.5' };

/**
 * The shipped price list: the models the four default agents use (claude-sonnet-4-5,
 * gemini-2.5-pro, gpt-5-codex, kimi-k2-0905-preview) and the vendors' other current public
 * models, at their list prices, each from the date it was published. A later price is a new
 * entry with its date, never an edit of the old one, so past usage keeps its price (o3 shows
 * how). Negotiated or changed prices go in `.coditect/prices.json` or the preference
 * `coditect.costs.priceOverrides`; a model missing here is shown as uncosted, never as $0.
 *
 * Dated model ids (`claude-sonnet-4-5-20250929`, `gpt-5-2025-08-07`) are priced as their
 * family through the name lookup in price-table.ts, so they are not listed.
 */
const ListPrices: Readonly<Record<string, readonly ListPrice[]>> = {
    // Anthropic
    'claude-opus-4-5': [{ from: '2025-11-24', input: '5', output: '25', cacheRead: '0.5', cacheWrite: '6.25', note: anthropicNote }],
    'claude-opus-4-1': [{ from: '2025-08-05', input: '15', output: '75', cacheRead: '1.5', cacheWrite: '18.75', note: anthropicNote }],
    'claude-opus-4-0': [{ from: '2025-05-22', input: '15', output: '75', cacheRead: '1.5', cacheWrite: '18.75', note: anthropicNote }],
    'claude-opus-4': [{ from: '2025-05-22', input: '15', output: '75', cacheRead: '1.5', cacheWrite: '18.75', note: anthropicNote }],
    'claude-sonnet-4-5': [{ from: '2025-09-29', input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75', longContext: sonnetLongContext, note: anthropicNote }],
    'claude-sonnet-4-0': [{ from: '2025-05-22', input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75', longContext: sonnetLongContext, note: anthropicNote }],
    'claude-sonnet-4': [{ from: '2025-05-22', input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75', longContext: sonnetLongContext, note: anthropicNote }],
    'claude-3-7-sonnet': [{ from: '2025-02-24', input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75', note: anthropicNote }],
    'claude-haiku-4-5': [{ from: '2025-10-15', input: '1', output: '5', cacheRead: '0.1', cacheWrite: '1.25', note: anthropicNote }],
    'claude-3-5-haiku': [{ from: '2024-10-22', input: '0.8', output: '4', cacheRead: '0.08', cacheWrite: '1', note: anthropicNote }],

    // OpenAI
    'gpt-5': [{ from: '2025-08-07', input: '1.25', output: '10', cacheRead: '0.125', cacheWrite: '1.25', note: openaiNote }],
    'gpt-5-codex': [{ from: '2025-09-23', input: '1.25', output: '10', cacheRead: '0.125', cacheWrite: '1.25', note: openaiNote }],
    'gpt-5.1': [{ from: '2025-11-13', input: '1.25', output: '10', cacheRead: '0.125', cacheWrite: '1.25', note: openaiNote }],
    'gpt-5.1-codex': [{ from: '2025-11-13', input: '1.25', output: '10', cacheRead: '0.125', cacheWrite: '1.25', note: openaiNote }],
    'gpt-5-mini': [{ from: '2025-08-07', input: '0.25', output: '2', cacheRead: '0.025', cacheWrite: '0.25', note: openaiNote }],
    'gpt-5-nano': [{ from: '2025-08-07', input: '0.05', output: '0.4', cacheRead: '0.005', cacheWrite: '0.05', note: openaiNote }],
    'gpt-4.1': [{ from: '2025-04-14', input: '2', output: '8', cacheRead: '0.5', cacheWrite: '2', note: openaiNote }],
    'gpt-4.1-mini': [{ from: '2025-04-14', input: '0.4', output: '1.6', cacheRead: '0.1', cacheWrite: '0.4', note: openaiNote }],
    'gpt-4o': [{ from: '2024-05-13', input: '2.5', output: '10', cacheRead: '1.25', cacheWrite: '2.5', note: openaiNote }],
    'o3': [
        { from: '2025-04-16', input: '10', output: '40', cacheRead: '2.5', cacheWrite: '10', note: openaiNote },
        { from: '2025-06-10', input: '2', output: '8', cacheRead: '0.5', cacheWrite: '2', note: `${openaiNote}; cut by 80% on 2025-06-10` },
    ],
    'o4-mini': [{ from: '2025-04-16', input: '1.1', output: '4.4', cacheRead: '0.275', cacheWrite: '1.1', note: openaiNote }],
    'codex-mini-latest': [{ from: '2025-05-16', input: '1.5', output: '6', cacheRead: '0.375', cacheWrite: '1.5', note: openaiNote }],

    // Google
    'gemini-3-pro-preview': [{
        from: '2025-11-18', input: '2', output: '12', cacheRead: '0.2', cacheWrite: '2',
        longContext: { aboveTokens: 200_000, input: '4', output: '18', cacheRead: '0.4', cacheWrite: '4' }, note: googleNote,
    }],
    'gemini-2.5-pro': [{
        from: '2025-06-17', input: '1.25', output: '10', cacheRead: '0.125', cacheWrite: '1.25',
        longContext: { aboveTokens: 200_000, input: '2.5', output: '15', cacheRead: '0.25', cacheWrite: '2.5' }, note: googleNote,
    }],
    'gemini-2.5-flash': [{ from: '2025-06-17', input: '0.3', output: '2.5', cacheRead: '0.03', cacheWrite: '0.3', note: googleNote }],
    'gemini-2.5-flash-lite': [{ from: '2025-07-22', input: '0.1', output: '0.4', cacheRead: '0.01', cacheWrite: '0.1', note: googleNote }],
    'gemini-2.0-flash': [{ from: '2025-02-05', input: '0.1', output: '0.4', cacheRead: '0.025', cacheWrite: '0.1', note: googleNote }],

    // Moonshot
    'kimi-k2-0905-preview': [{ from: '2025-09-05', input: '0.6', output: '2.5', cacheRead: '0.15', cacheWrite: '0.6', note: moonshotNote }],
    'kimi-k2-0711-preview': [{ from: '2025-07-11', input: '0.6', output: '2.5', cacheRead: '0.15', cacheWrite: '0.6', note: moonshotNote }],
    'kimi-k2-thinking': [{ from: '2025-11-06', input: '0.6', output: '2.5', cacheRead: '0.15', cacheWrite: '0.6', note: moonshotNote }],
};

function prices(model: string, p: Omit<ListPrice, 'from' | 'note' | 'longContext'>): TokenPrices {
    return {
        input: parseUsdPerMillionTokens(p.input, `${model}: input`),
        output: parseUsdPerMillionTokens(p.output, `${model}: output`),
        cacheRead: parseUsdPerMillionTokens(p.cacheRead, `${model}: cacheRead`),
        cacheWrite: parseUsdPerMillionTokens(p.cacheWrite, `${model}: cacheWrite`),
    };
}

/** The shipped list as price points (UTC midnight of each date). */
export const DefaultPrices: readonly PricePoint[] = Object.entries(ListPrices).flatMap(([model, list]) => list.map(p => ({
    model,
    from: Date.parse(`${p.from}T00:00:00Z`),
    ...prices(model, p),
    longContext: p.longContext && { aboveTokens: p.longContext.aboveTokens, ...prices(model, p.longContext) },
    note: p.note,
})));
