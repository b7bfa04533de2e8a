import type { Picodollars } from './money';

/** Where a price came from, lowest precedence first. */
export type PriceSource = 'default' | 'file' | 'preference';

/** The preference an admin's studio pushes price overrides through (price-file.ts parses it). */
export const PriceOverridesPreference = 'coditect.costs.priceOverrides';

export const PriceSourceLabels: Readonly<Record<PriceSource, string>> = {
    default: 'shipped default',
    file: '.coditect/prices.json',
    preference: `preference ${PriceOverridesPreference}`,
};

/** Pico-dollars per token of each kind (see token-usage.ts for what each kind counts). */
export interface TokenPrices {
    readonly input: Picodollars;
    readonly output: Picodollars;
    readonly cacheRead: Picodollars;
    readonly cacheWrite: Picodollars;
}

/**
 * A model's price from an instant on. `longContext` applies to a whole request whose prompt
 * (input + cache read + cache write tokens) is larger than `aboveTokens`, as Anthropic and
 * Google bill their long-context requests.
 */
export interface PricePoint extends TokenPrices {
    readonly model: string;
    /** Epoch ms from which this price applies (0: since always). */
    readonly from: number;
    readonly longContext?: TokenPrices & { readonly aboveTokens: number };
    /** A note shown beside the price (where it was published, what it assumes). */
    readonly note?: string;
}

/** One stretch of a model's price history as it applies: `price` undefined means uncosted then. */
export interface PriceInterval {
    readonly from: number;
    /** Exclusive; undefined: still in effect. */
    readonly to?: number;
    readonly price?: PricePoint;
    readonly source?: PriceSource;
    /** The price-table name that priced the model (a dated model id is priced as its family). */
    readonly pricedAs?: string;
}

/** Token counts of one request, in the normalised convention (input excludes the cache; output includes reasoning). */
export interface TokenCounts {
    readonly input: number;
    readonly output: number;
    readonly cacheRead: number;
    readonly cacheWrite: number;
    readonly reasoning: number;
}

/** Exact cost of one request at one price. */
export function costOf(tokens: TokenCounts, price: PricePoint): Picodollars {
    const prompt = tokens.input + tokens.cacheRead + tokens.cacheWrite;
    const p: TokenPrices = price.longContext && prompt > price.longContext.aboveTokens ? price.longContext : price;
    return BigInt(tokens.input) * p.input + BigInt(tokens.output) * p.output
        + BigInt(tokens.cacheRead) * p.cacheRead + BigInt(tokens.cacheWrite) * p.cacheWrite;
}

export function totalOf(tokens: TokenCounts): number {
    return tokens.input + tokens.cacheRead + tokens.cacheWrite + tokens.output;
}
