import * as assert from 'node:assert/strict';
import { formatUsd, parseUsd, parseUsdPerMillionTokens, picoPerTokenToUsdPerMillion, picoToUsdString } from './money';
import { CostCalendar } from './cost-calendar';

describe('money in pico-dollars', () => {
    it('parses prices per million tokens exactly, from numbers and decimal strings', () => {
        assert.equal(parseUsdPerMillionTokens(3, 'x'), 3_000_000n);
        assert.equal(parseUsdPerMillionTokens(0.3, 'x'), 300_000n);
        assert.equal(parseUsdPerMillionTokens('0.125', 'x'), 125_000n);
        assert.equal(parseUsdPerMillionTokens(3.75, 'x'), 3_750_000n);
        assert.equal(parseUsdPerMillionTokens(0.000001, 'x'), 1n);
        assert.equal(parseUsdPerMillionTokens(1e-6, 'x'), 1n);
        assert.equal(parseUsdPerMillionTokens('.5', 'x'), 500_000n);
        // A float that is not the decimal it looks like is refused rather than rounded silently.
        assert.throws(() => parseUsdPerMillionTokens(0.1 + 0.2, 'x'), /more than 6 decimals \("0.30000000000000004"\)/);
    });

    it('refuses what is not a non-negative decimal, saying what and where', () => {
        assert.throws(() => parseUsdPerMillionTokens(-1, 'claude: input'), /claude: input \(USD per million tokens\) must be a non-negative decimal/);
        assert.throws(() => parseUsdPerMillionTokens('3 dollars', 'x'), /non-negative decimal number such as 3 or 0.125, not "3 dollars"/);
        assert.throws(() => parseUsdPerMillionTokens(0.0000001, 'x'), /more than 6 decimals/);
        assert.throws(() => parseUsdPerMillionTokens(null, 'x'), /must be a number \(or a decimal string\), not null/);
        assert.throws(() => parseUsdPerMillionTokens(Infinity, 'x'), /finite/);
        assert.throws(() => parseUsd('1e3', 'The budget'), /The budget \(USD\) must be a non-negative decimal/);
    });

    it('formats exactly and for people', () => {
        assert.equal(picoToUsdString(8_535_000_000n), '0.008535');
        assert.equal(picoToUsdString(12n * 10n ** 12n), '12.00');
        assert.equal(picoToUsdString(1n, 0), '0.000000000001');
        assert.equal(picoPerTokenToUsdPerMillion(3_750_000n), '3.75');
        assert.equal(picoPerTokenToUsdPerMillion(15_000_000n), '15');
        assert.equal(formatUsd(0n), '$0.00');
        assert.equal(formatUsd(7_504_000_000_000n), '$7.50');
        assert.equal(formatUsd(7_505_000_000_000n), '$7.51');
        assert.equal(formatUsd(8_535_000_000n), '$0.0085');
        assert.equal(formatUsd(12_345_678n * 10n ** 12n), '$12,345,678.00');
        assert.equal(formatUsd(10n), '<$0.0001');
    });

    it('sums beyond 2^53 pico-dollars stay exact', () => {
        const a = 9_007_199_254_740_993n;
        assert.equal(picoToUsdString(a + a, 0), '18014.398509481986');
    });
});

describe('CostCalendar', () => {
    it('finds days and months in UTC', () => {
        const c = new CostCalendar('UTC');
        const t = Date.parse('2026-11-21T07:38:00Z');
        assert.equal(c.dayKey(t), 20261121);
        assert.equal(c.dayStart(t), Date.parse('2026-11-21T00:00:00Z'));
        assert.equal(c.nextDayStart(t), Date.parse('2026-11-22T00:00:00Z'));
        assert.equal(c.monthStart(t), Date.parse('2026-11-01T00:00:00Z'));
        assert.equal(c.nextMonthStart(Date.parse('2026-12-31T23:00:00Z')), Date.parse('2027-01-01T00:00:00Z'));
        assert.deepEqual(c.monthKeys(t), { first: 20261101, last: 20261131 });
    });

    it('follows a zone across daylight saving: a 23-hour day and a 25-hour day', () => {
        const c = new CostCalendar('Europe/Berlin');
        const spring = Date.parse('2026-03-29T12:00:00Z');
        assert.equal(c.dayStart(spring), Date.parse('2026-03-28T23:00:00Z'));
        assert.equal(c.nextDayStart(spring) - c.dayStart(spring), 23 * 3_600_000);
        const autumn = Date.parse('2026-10-25T12:00:00Z');
        assert.equal(c.nextDayStart(autumn) - c.dayStart(autumn), 25 * 3_600_000);
        // 23:30 UTC on the 21st is already the 22nd in Berlin.
        assert.equal(c.dayKey(Date.parse('2026-11-21T23:30:00Z')), 20261122);
        assert.equal(new CostCalendar('Asia/Kolkata').dayStart(Date.parse('2026-11-21T12:00:00Z')), Date.parse('2026-11-20T18:30:00Z'));
    });

    it('refuses an unknown zone with what to set', () => {
        assert.throws(() => new CostCalendar('Mars/Olympus'), /STUDIO_COST_TIMEZONE to an IANA name/);
    });
});
