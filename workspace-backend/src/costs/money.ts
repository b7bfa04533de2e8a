/**
 * Money in the cost ledger: exact integers of pico-dollars (1 pico-dollar = 10^-12 USD), as
 * `bigint` in JavaScript and INTEGER in SQLite. Never a float.
 *
 * Why pico: vendors price per million tokens with up to three or four decimals ($0.005 per
 * million is 5 nano-dollars a token), so a per-token price needs units below a nano-dollar to
 * stay an integer; a pico-dollar gives six decimals of dollars per million tokens. Why bigint:
 * a workspace's month of spend passes 2^53 pico-dollars (about $9,007) easily, where a JS number
 * stops being exact. SQLite's INTEGER is 64-bit, exact to about $9.2 million per sum.
 *
 * Across RPC (JSON has no bigint) money travels as a decimal string of pico-dollars.
 */
export type Picodollars = bigint;

export const PicoPerUsd = 1_000_000_000_000n;
/** A price of $1 per million tokens is 10^6 pico-dollars per token. */
export const PicoPerTokenPerUsdPerMillion = 1_000_000n;

/** The same amount as a decimal string of pico-dollars, the form money takes on the wire. */
export type PicoString = string;

export class MoneyFormatError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'MoneyFormatError';
    }
}

/**
 * Parses a non-negative decimal amount ("3", "0.125", 3.75) into an integer of `1 / 10^decimals`
 * units, exactly: the text's digits are used, never float arithmetic. `what` names the value in
 * the error ("claude-sonnet-4-5: input").
 */
export function parseDecimal(value: unknown, decimals: number, what: string): bigint {
    let text: string;
    if (typeof value === 'number') {
        if (!Number.isFinite(value)) {
            throw new MoneyFormatError(`${what} must be a finite number, not ${value}.`);
        }
        // The shortest text that round-trips the number: 0.3 is "0.3", never 0.29999999999999998.
        text = numberToPlainString(value);
    } else if (typeof value === 'string') {
        text = value.trim();
    } else {
        throw new MoneyFormatError(`${what} must be a number (or a decimal string), not ${value === null ? 'null' : typeof value}.`);
    }
    const match = /^(\d+)(?:\.(\d*))?$/.exec(text) ?? /^()\.(\d+)$/.exec(text);
    if (!match) {
        throw new MoneyFormatError(`${what} must be a non-negative decimal number such as 3 or 0.125, not "${text}".`);
    }
    const whole = match[1] || '0';
    const fraction = (match[2] ?? '').replace(/0+$/, '');
    if (fraction.length > decimals) {
        throw new MoneyFormatError(`${what} has more than ${decimals} decimals ("${text}"); round it to ${decimals}.`);
    }
    return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

/** Dollars per million tokens ("3.75") as pico-dollars per token (3_750_000n). */
export function parseUsdPerMillionTokens(value: unknown, what: string): Picodollars {
    return parseDecimal(value, 6, `${what} (USD per million tokens)`);
}

/** Dollars ("12.50") as pico-dollars. */
export function parseUsd(value: unknown, what: string): Picodollars {
    return parseDecimal(value, 12, `${what} (USD)`);
}

/** 1e-7 is "0.0000001", not "1e-7"; 1e21 stays as JS writes it and fails the pattern (no price is that big). */
function numberToPlainString(value: number): string {
    const text = String(value);
    const exp = /^(\d+)(?:\.(\d+))?e-(\d+)$/.exec(text);
    if (!exp) {
        return text;
    }
    const digits = exp[1] + (exp[2] ?? '');
    const shift = Number(exp[3]);
    return `0.${'0'.repeat(shift - exp[1].length)}${digits}`;
}

/** Exact decimal dollars of a pico-dollar amount, trailing zeros trimmed to at least `minDecimals` ("8.535", "0.00"). */
export function picoToUsdString(pico: Picodollars, minDecimals = 2): string {
    const negative = pico < 0n;
    const abs = negative ? -pico : pico;
    const whole = abs / PicoPerUsd;
    let fraction = (abs % PicoPerUsd).toString().padStart(12, '0').replace(/0+$/, '');
    if (fraction.length < minDecimals) {
        fraction = fraction.padEnd(minDecimals, '0');
    }
    return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Pico-dollars per token as dollars per million tokens ("3.75"), the way vendors write prices. */
export function picoPerTokenToUsdPerMillion(pico: Picodollars): string {
    const whole = pico / PicoPerTokenPerUsdPerMillion;
    const fraction = (pico % PicoPerTokenPerUsdPerMillion).toString().padStart(6, '0').replace(/0+$/, '');
    return fraction ? `${whole}.${fraction}` : whole.toString();
}

/** For charts and percentages only: a float of dollars. */
export function picoToUsdNumber(pico: Picodollars): number {
    return Number(pico) / 1e12;
}

/** Reads a pico amount SQLite returned as text (`CAST(sum(..) AS TEXT)`) or as a number; NULL reads as 0. */
export function picoFromSql(value: string | number | bigint | null | undefined): Picodollars {
    if (value === null || value === undefined || value === '') {
        return 0n;
    }
    return typeof value === 'bigint' ? value : BigInt(value);
}

/**
 * Dollars for people: cents from a dollar up ("$7.50", rounded half up), four decimals below
 * a dollar ("$0.0085"), "<$0.0001" below that (but above zero). The exact figure is the pico amount.
 */
export function formatUsd(pico: Picodollars): string {
    const negative = pico < 0n;
    const abs = negative ? -pico : pico;
    const sign = negative ? '-' : '';
    if (abs === 0n) {
        return '$0.00';
    }
    const decimals = abs >= PicoPerUsd ? 2 : 4;
    const unit = 10n ** BigInt(12 - decimals);
    const rounded = (abs + unit / 2n) / unit;
    if (rounded === 0n) {
        return `${sign}<$0.0001`;
    }
    const scale = 10n ** BigInt(decimals);
    const whole = (rounded / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${sign}$${whole}.${(rounded % scale).toString().padStart(decimals, '0')}`;
}
