/**
 * Money and tokens for people, in the browser and the backend alike. The ledger's amounts are
 * exact pico-dollars (decimal strings); what is shown is rounded, converted to the display
 * currency with the preference's rate (display only), and formatted for the user's locale.
 */
export interface MoneyDisplay {
    /** ISO 4217 code. */
    readonly currency: string;
    /** Units of `currency` per US dollar. */
    readonly rate: number;
    /** BCP 47 locale; undefined: the browser's. */
    readonly locale?: string;
}

export const UsdDisplay: MoneyDisplay = { currency: 'USD', rate: 1 };

const PicoPerUsd = 1_000_000_000_000n;

/** Dollars of a pico-dollar string, as a float (for charts, bars and display; never for sums). */
export function picoToUsd(pico: string | bigint): number {
    const value = typeof pico === 'bigint' ? pico : BigInt(pico || '0');
    const whole = value / PicoPerUsd;
    return Number(whole) + Number(value % PicoPerUsd) / 1e12;
}

/** Exact dollars of a pico-dollar amount, all twelve decimals kept when needed ("0.008535"). */
export function exactUsd(pico: string | bigint): string {
    const value = typeof pico === 'bigint' ? pico : BigInt(pico || '0');
    const negative = value < 0n;
    const abs = negative ? -value : value;
    const fraction = (abs % PicoPerUsd).toString().padStart(12, '0').replace(/0+$/, '');
    return `${negative ? '-' : ''}${abs / PicoPerUsd}.${fraction.padEnd(2, '0')}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(display: MoneyDisplay, fractionDigits: { min: number; max: number }): Intl.NumberFormat {
    const key = `${display.locale ?? ''}|${display.currency}|${fractionDigits.min}|${fractionDigits.max}`;
    let f = formatters.get(key);
    if (!f) {
        try {
            f = new Intl.NumberFormat(display.locale, { style: 'currency', currency: display.currency, minimumFractionDigits: fractionDigits.min, maximumFractionDigits: fractionDigits.max });
        } catch {
            f = new Intl.NumberFormat(display.locale, { style: 'currency', currency: 'USD', minimumFractionDigits: fractionDigits.min, maximumFractionDigits: fractionDigits.max });
        }
        formatters.set(key, f);
    }
    return f;
}

/**
 * "$7.50", "$0.125", "$0.0085", "<$0.0001": cents from one unit up, up to four decimals below
 * (always four below ten cents), and a floor below that, so a real but tiny cost never reads as zero.
 */
export function formatMoney(pico: string | bigint, display: MoneyDisplay = UsdDisplay, options: { readonly round?: boolean } = {}): string {
    const amount = picoToUsd(pico) * (Number.isFinite(display.rate) && display.rate > 0 ? display.rate : 1);
    const abs = Math.abs(amount);
    if (abs === 0) {
        return formatter(display, { min: 2, max: 2 }).format(0);
    }
    if (abs < 0.00005) {
        return `<${formatter(display, { min: 4, max: 4 }).format(0.0001 * Math.sign(amount))}`;
    }
    // Below ten cents four decimals throughout ($0.0290 beside $0.0136), so a column of small amounts lines up.
    // `round`: an amount people typed (a budget's limit) keeps its own decimals: $0.05, not $0.0500.
    return formatter(display, abs >= 1 ? { min: 2, max: 2 } : abs < 0.1 && !options.round ? { min: 4, max: 4 } : { min: 2, max: 4 }).format(amount);
}

/** 950, 12.3k, 4.56M tokens. */
export function formatTokens(tokens: number): string {
    const abs = Math.abs(tokens);
    if (abs < 1000) {
        return String(tokens);
    }
    if (abs < 1_000_000) {
        return `${(tokens / 1000).toFixed(abs < 10_000 ? 2 : 1).replace(/\.?0+$/, '')}k`;
    }
    return `${(tokens / 1_000_000).toFixed(abs < 10_000_000 ? 2 : 1).replace(/\.?0+$/, '')}M`;
}

/** "82%" (floored: 99.99% is not yet used up). */
export function formatPercent(percent: number): string {
    return `${Math.floor(percent)}%`;
}

/** Why a typed budget amount would be refused (positive US dollars, at most 12 decimals), or undefined; the backend checks again. */
export function budgetAmountProblem(text: string): string | undefined {
    const value = text.trim().replace(/^\$/, '');
    if (!value) {
        return 'Enter an amount in US dollars, such as 25 or 7.50.';
    }
    if (!/^(\d+(\.\d{0,12})?|\.\d{1,12})$/.test(value)) {
        return `"${text}" is not an amount in US dollars; write it like 25 or 7.50 (no thousands separators).`;
    }
    if (Number(value) <= 0) {
        return 'A budget must be more than $0; to lift a budget, remove it.';
    }
    if (Number(value) > 1_000_000) {
        return 'A budget may be at most $1,000,000.';
    }
    return undefined;
}
