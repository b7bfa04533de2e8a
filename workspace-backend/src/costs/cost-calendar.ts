/**
 * Days and months in one time zone: when "today" starts for the dashboard and when a daily or
 * monthly budget rolls over. One zone for the whole workspace (budgets are shared), by default
 * the backend's own (`TZ`, usually UTC in a container), or `STUDIO_COST_TIMEZONE`.
 *
 * A day is named by its key `yyyymmdd` (20260315), which sorts like time and lets SQL select a
 * month as a range of keys. Boundaries are exact instants, daylight-saving changes included (a
 * day may last 23 or 25 hours).
 */
export type BudgetPeriod = 'day' | 'month';

export class CostCalendar {
    readonly timeZone: string;
    protected readonly parts: Intl.DateTimeFormat;
    /** The last day looked up: rows arrive in time order, so most lookups hit it. */
    protected cached: { start: number; end: number; key: number } | undefined;

    constructor(timeZone?: string) {
        const zone = timeZone?.trim() || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
        try {
            this.parts = new Intl.DateTimeFormat('en-US', {
                timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
            });
        } catch {
            throw new Error(`The cost time zone "${zone}" is not a time zone this Node.js knows; set STUDIO_COST_TIMEZONE to an IANA name such as "UTC" or "Europe/Berlin".`);
        }
        this.timeZone = this.parts.resolvedOptions().timeZone;
    }

    /** The zone's wall-clock date and time at instant `t`. */
    wallClock(t: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
        const p: Record<string, number> = {};
        for (const part of this.parts.formatToParts(new Date(t))) {
            if (part.type !== 'literal') {
                p[part.type] = Number(part.value);
            }
        }
        return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
    }

    /** Milliseconds the zone is ahead of UTC at instant `t`. */
    offsetAt(t: number): number {
        const w = this.wallClock(t);
        const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
        return asUtc - Math.floor(t / 1000) * 1000;
    }

    /** The first instant of the zone's date year-month-day (months and days may overflow: month 13 is January next year). */
    startOfDate(year: number, month: number, day: number): number {
        const guess = Date.UTC(year, month - 1, day);
        const n = new Date(guess);
        const target = n.getUTCFullYear() * 10_000 + (n.getUTCMonth() + 1) * 100 + n.getUTCDate();
        let t = guess - this.offsetAt(guess);
        // Twice: the offset at the guess may differ from the offset at midnight (a DST change that night).
        t = guess - this.offsetAt(t);
        if (this.keyAt(t) === target && this.keyAt(t - 1000) !== target) {
            return t;
        }
        // Midnight does not exist that day (a DST jump at 00:00): the day starts at the first second that has its date.
        let lo = t - 3 * 3_600_000;
        let hi = t + 3 * 3_600_000;
        while (hi - lo > 1000) {
            const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
            if (this.keyAt(mid) >= target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    protected keyAt(t: number): number {
        const w = this.wallClock(t);
        return w.year * 10_000 + w.month * 100 + w.day;
    }

    dayKey(t: number): number {
        return this.day(t).key;
    }

    dayStart(t: number): number {
        return this.day(t).start;
    }

    nextDayStart(t: number): number {
        return this.day(t).end;
    }

    monthStart(t: number): number {
        const w = this.wallClock(t);
        return this.startOfDate(w.year, w.month, 1);
    }

    nextMonthStart(t: number): number {
        const w = this.wallClock(t);
        return this.startOfDate(w.year, w.month + 1, 1);
    }

    /** [start, end) of the day or month that contains `t`. */
    period(period: BudgetPeriod, t: number): { start: number; end: number } {
        return period === 'day'
            ? { start: this.dayStart(t), end: this.nextDayStart(t) }
            : { start: this.monthStart(t), end: this.nextMonthStart(t) };
    }

    /** The day keys [first, last] of the month that contains `t` (for `day BETWEEN ? AND ?`). */
    monthKeys(t: number): { first: number; last: number } {
        const w = this.wallClock(t);
        const first = w.year * 10_000 + w.month * 100 + 1;
        return { first, last: first + 30 };
    }

    /** The instant a day key starts. */
    keyStart(key: number): number {
        return this.startOfDate(Math.floor(key / 10_000), Math.floor(key / 100) % 100, key % 100);
    }

    protected day(t: number): { start: number; end: number; key: number } {
        const c = this.cached;
        if (c && t >= c.start && t < c.end) {
            return c;
        }
        const w = this.wallClock(t);
        const start = this.startOfDate(w.year, w.month, w.day);
        const end = this.startOfDate(w.year, w.month, w.day + 1);
        this.cached = { start, end, key: w.year * 10_000 + w.month * 100 + w.day };
        return this.cached;
    }
}

export function costCalendarFromEnv(env: NodeJS.ProcessEnv = process.env): CostCalendar {
    return new CostCalendar(env.STUDIO_COST_TIMEZONE);
}
