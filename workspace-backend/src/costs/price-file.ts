import { parseUsd, parseUsdPerMillionTokens } from './money';
import { PriceOverridesPreference, type PricePoint, type TokenPrices } from './price-types';

/**
 * The price overrides a workspace keeps in `.coditect/prices.json`, and the same model entries
 * in the preference `coditect.costs.priceOverrides`. Every price is USD per million tokens,
 * written as a number or a decimal string (at most 6 decimals):
 *
 *     {
 *       "models": {
 *         "claude-sonnet-4-5": { "input": 2.7, "output": 13.5, "cacheRead": 0.27, "cacheWrite": 3.375 },
 *         "gpt-5-codex": [
 *           { "input": 1.25, "output": 10, "cacheRead": 0.125 },
 *           { "from": "2026-12-01", "input": 1, "output": 8, "cacheRead": 0.1 }
 *         ],
 *         "my-local-model": { "input": 0, "output": 0 }
 *       },
 *       "infrastructure": { "vcpuHourUsd": 0.0475, "storageGbMonthUsd": 0.17, "vcpus": 2, "storageGb": 20 }
 *     }
 *
 * - A model is one entry or a list of dated entries (its price history). `from` is a date
 *   (`2026-12-01`, midnight UTC) or an ISO time; without it the entry applies since always.
 * - `cacheRead` and `cacheWrite` default to `input` (a model without a cache discount).
 * - `longContext` (`{ "aboveTokens": 200000, "input": .., "output": .., ... }`) prices a whole
 *   request whose prompt is larger than `aboveTokens`.
 * - An entry here beats the shipped default for the same model from its date on; the
 *   preference beats this file. A price of 0 is a real price (a free model), not "unknown".
 */
export interface PriceFile {
    readonly points: readonly PricePoint[];
    readonly infrastructure?: InfrastructureRates;
}

/** Configured infrastructure rates (any may be missing; the environment fills in or overrides). */
export interface InfrastructureRates {
    readonly vcpuHourPico?: bigint;
    readonly storageGbMonthPico?: bigint;
    readonly vcpus?: number;
    readonly storageGb?: number;
}

export class PriceFileError extends Error {
    constructor(readonly source: string, readonly problems: readonly string[]) {
        super(`${source} is not valid: ${problems.join('; ')}.`);
        this.name = 'PriceFileError';
    }
}

const entryKeys = ['from', 'input', 'output', 'cacheRead', 'cacheWrite', 'longContext', 'note'];
const longContextKeys = ['aboveTokens', 'input', 'output', 'cacheRead', 'cacheWrite'];
const infraKeys = ['vcpuHourUsd', 'storageGbMonthUsd', 'vcpus', 'storageGb'];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses the text of `.coditect/prices.json`; throws a PriceFileError listing every problem with its place. */
export function parsePriceFile(text: string, source = '.coditect/prices.json'): PriceFile {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new PriceFileError(source, [`it is not JSON (${(error as Error).message}); see the README for its shape`]);
    }
    const problems: string[] = [];
    if (!isObject(json)) {
        throw new PriceFileError(source, ['it must be a JSON object with "models" (and optionally "infrastructure")']);
    }
    for (const key of Object.keys(json)) {
        if (!['models', 'infrastructure', '$schema', 'comment'].includes(key)) {
            problems.push(`unknown key "${key}" (known: models, infrastructure)`);
        }
    }
    const points = json.models === undefined ? [] : parseModelPrices(json.models, 'models', problems);
    const infrastructure = json.infrastructure === undefined ? undefined : parseInfrastructure(json.infrastructure, problems);
    if (problems.length) {
        throw new PriceFileError(source, problems);
    }
    return { points, infrastructure };
}

/** The preference's value: the same object as the file's "models". */
export function parsePriceOverrides(value: unknown, source = PriceOverridesPreference): PricePoint[] {
    const problems: string[] = [];
    const points = value === undefined || value === null ? [] : parseModelPrices(value, source, problems);
    if (problems.length) {
        throw new PriceFileError(source, problems);
    }
    return points;
}

function parseModelPrices(value: unknown, where: string, problems: string[]): PricePoint[] {
    if (!isObject(value)) {
        problems.push(`${where} must be an object of model ids to prices, like {"claude-sonnet-4-5": {"input": 3, "output": 15}}`);
        return [];
    }
    const points: PricePoint[] = [];
    for (const [model, entries] of Object.entries(value)) {
        if (!model.trim()) {
            problems.push(`${where} has an empty model id`);
            continue;
        }
        const list = Array.isArray(entries) ? entries : [entries];
        const seen = new Set<number>();
        list.forEach((entry, i) => {
            const at = Array.isArray(entries) ? `${where}.${model}[${i}]` : `${where}.${model}`;
            const point = parseEntry(model, entry, at, problems);
            if (point) {
                if (seen.has(point.from)) {
                    problems.push(`${at}: ${model} has two prices from the same time; give each a different "from"`);
                }
                seen.add(point.from);
                points.push(point);
            }
        });
    }
    return points;
}

function parseEntry(model: string, entry: unknown, at: string, problems: string[]): PricePoint | undefined {
    if (!isObject(entry)) {
        problems.push(`${at} must be an object like {"input": 3, "output": 15}`);
        return undefined;
    }
    const unknown = Object.keys(entry).filter(k => !entryKeys.includes(k));
    if (unknown.length) {
        problems.push(`${at} has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map(k => `"${k}"`).join(', ')} (known: ${entryKeys.join(', ')})`);
    }
    const from = parseFrom(entry.from, at, problems);
    const prices = parseTokenPrices(entry, at, problems);
    let longContext: PricePoint['longContext'];
    if (entry.longContext !== undefined) {
        const lc = entry.longContext;
        if (!isObject(lc)) {
            problems.push(`${at}.longContext must be an object like {"aboveTokens": 200000, "input": 6, "output": 22.5}`);
        } else {
            const unknownLc = Object.keys(lc).filter(k => !longContextKeys.includes(k));
            if (unknownLc.length) {
                problems.push(`${at}.longContext has unknown keys ${unknownLc.map(k => `"${k}"`).join(', ')} (known: ${longContextKeys.join(', ')})`);
            }
            const above = lc.aboveTokens;
            if (typeof above !== 'number' || !Number.isInteger(above) || above < 1) {
                problems.push(`${at}.longContext.aboveTokens must be a whole number of prompt tokens, such as 200000`);
            }
            const lcPrices = parseTokenPrices(lc, `${at}.longContext`, problems);
            if (lcPrices && typeof above === 'number') {
                longContext = { aboveTokens: above, ...lcPrices };
            }
        }
    }
    if (entry.note !== undefined && typeof entry.note !== 'string') {
        problems.push(`${at}.note must be text`);
    }
    if (from === undefined || !prices) {
        return undefined;
    }
    return { model, from, ...prices, longContext, note: typeof entry.note === 'string' ? entry.note : undefined };
}

function parseTokenPrices(entry: Record<string, unknown>, at: string, problems: string[]): TokenPrices | undefined {
    const read = (key: string, fallback?: bigint): bigint | undefined => {
        if (entry[key] === undefined) {
            if (fallback === undefined) {
                problems.push(`${at}.${key} is missing (USD per million tokens, e.g. 3 or "0.125")`);
            }
            return fallback;
        }
        try {
            return parseUsdPerMillionTokens(entry[key], `${at}.${key}`);
        } catch (error) {
            problems.push((error as Error).message);
            return undefined;
        }
    };
    const input = read('input');
    const output = read('output');
    const cacheRead = read('cacheRead', input ?? 0n);
    const cacheWrite = read('cacheWrite', input ?? 0n);
    if (input === undefined || output === undefined || cacheRead === undefined || cacheWrite === undefined) {
        return undefined;
    }
    return { input, output, cacheRead, cacheWrite };
}

function parseFrom(value: unknown, at: string, problems: string[]): number | undefined {
    if (value === undefined || value === null) {
        return 0;
    }
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}([T ].+)?$/.test(value.trim())) {
        problems.push(`${at}.from must be a date like "2026-12-01" or an ISO time like "2026-12-01T09:00:00Z"`);
        return undefined;
    }
    const text = value.trim();
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
    if (!Number.isFinite(t)) {
        problems.push(`${at}.from "${text}" is not a real date`);
        return undefined;
    }
    return t;
}

function parseInfrastructure(value: unknown, problems: string[]): InfrastructureRates | undefined {
    if (!isObject(value)) {
        problems.push('infrastructure must be an object like {"vcpuHourUsd": 0.0475, "storageGbMonthUsd": 0.17}');
        return undefined;
    }
    const unknown = Object.keys(value).filter(k => !infraKeys.includes(k));
    if (unknown.length) {
        problems.push(`infrastructure has unknown keys ${unknown.map(k => `"${k}"`).join(', ')} (known: ${infraKeys.join(', ')})`);
    }
    const rate = (key: string): bigint | undefined => {
        if (value[key] === undefined) {
            return undefined;
        }
        try {
            return parseUsd(value[key], `infrastructure.${key}`);
        } catch (error) {
            problems.push((error as Error).message);
            return undefined;
        }
    };
    const count = (key: string): number | undefined => {
        const v = value[key];
        if (v === undefined) {
            return undefined;
        }
        if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
            problems.push(`infrastructure.${key} must be a positive number`);
            return undefined;
        }
        return v;
    };
    return { vcpuHourPico: rate('vcpuHourUsd'), storageGbMonthPico: rate('storageGbMonthUsd'), vcpus: count('vcpus'), storageGb: count('storageGb') };
}
