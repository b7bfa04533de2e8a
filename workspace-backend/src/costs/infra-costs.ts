import * as fs from 'node:fs';
import * as os from 'node:os';
import type { SqliteDatabase } from '../database/sqlite-database';
import { parseUsd, Picodollars, picoToUsdString } from './money';
import type { InfrastructureRates } from './price-file';

/** Cloud providers bill a GB-month as 730 hours. */
export const HoursPerMonth = 730;
const HourMs = 3_600_000;

/** The rates infrastructure is costed at; each from the environment, else the prices file, else measured. */
export interface InfraConfig {
    readonly vcpuHourPico?: Picodollars;
    readonly storageGbMonthPico?: Picodollars;
    readonly vcpus: number;
    readonly storageGb: number;
    /** Where each figure came from, for the dashboard's detail. */
    readonly sources: { readonly vcpus: string; readonly storageGb: string };
}

/**
 * Infrastructure rates: `STUDIO_COST_VCPU_HOUR_USD` and `STUDIO_COST_STORAGE_GB_MONTH_USD` (the
 * operator's, so they beat the workspace's file), else `infrastructure` in `.coditect/prices.json`.
 * vCPUs: `STUDIO_COST_VCPUS`, the file, else this machine's (os.availableParallelism). Storage:
 * `STUDIO_COST_STORAGE_GB`, the file, else the size of the disk holding the data directory (a
 * persistent disk is billed by its provisioned size, not by what is used).
 */
export function resolveInfraConfig(env: NodeJS.ProcessEnv, file: InfrastructureRates | undefined, dataDir: string): InfraConfig {
    const usd = (name: string): Picodollars | undefined => {
        const value = env[name]?.trim();
        if (!value) {
            return undefined;
        }
        try {
            return parseUsd(value, name);
        } catch (error) {
            throw new Error(`${(error as Error).message} Set ${name} to a price in US dollars, such as 0.0475.`, { cause: error });
        }
    };
    const positive = (name: string): number | undefined => {
        const value = env[name]?.trim();
        if (!value) {
            return undefined;
        }
        const n = Number(value);
        if (!Number.isFinite(n) || n <= 0) {
            throw new Error(`${name} must be a positive number, not "${value}".`);
        }
        return n;
    };
    const envVcpus = positive('STUDIO_COST_VCPUS');
    const envStorage = positive('STUDIO_COST_STORAGE_GB');
    let diskGb: number | undefined;
    if (envStorage === undefined && file?.storageGb === undefined) {
        try {
            const stat = fs.statfsSync(dataDir);
            diskGb = Math.round((stat.blocks * stat.bsize) / 1e9 * 10) / 10;
        } catch {
            diskGb = undefined;
        }
    }
    return {
        vcpuHourPico: usd('STUDIO_COST_VCPU_HOUR_USD') ?? file?.vcpuHourPico,
        storageGbMonthPico: usd('STUDIO_COST_STORAGE_GB_MONTH_USD') ?? file?.storageGbMonthPico,
        vcpus: envVcpus ?? file?.vcpus ?? os.availableParallelism(),
        storageGb: envStorage ?? file?.storageGb ?? diskGb ?? 0,
        sources: {
            vcpus: envVcpus !== undefined ? 'STUDIO_COST_VCPUS' : file?.vcpus !== undefined ? 'prices.json' : 'this machine',
            storageGb: envStorage !== undefined ? 'STUDIO_COST_STORAGE_GB' : file?.storageGb !== undefined ? 'prices.json' : 'the data disk',
        },
    };
}

/**
 * The workspace's infrastructure cost from configured rates: compute for the time the studio
 * ran (vCPUs x hours, from `infra_uptime`, advanced every minute), storage for every hour since
 * the workspace's first start (a disk is billed while the studio is down too). An estimate at
 * today's rates; model spend is exact, this is not.
 */
export class InfraCostMeter {
    protected runId: number | undefined;
    protected timer: NodeJS.Timeout | undefined;
    protected config: InfraConfig;
    protected rows: { startedAt: number; lastSeenAt: number; vcpus: number; id: number }[] = [];

    /** Called after each minute's uptime is recorded (infrastructure cost grew). */
    onTick: (() => void) | undefined;

    constructor(protected readonly db: SqliteDatabase, config: InfraConfig, protected readonly now: () => number = Date.now, protected readonly tickMs = 60_000) {
        this.config = config;
    }

    get configured(): boolean {
        return this.config.vcpuHourPico !== undefined || this.config.storageGbMonthPico !== undefined;
    }

    get current(): InfraConfig {
        return this.config;
    }

    reconfigure(config: InfraConfig): void {
        this.config = config;
    }

    /** Records this run's start and keeps its end current. */
    start(): void {
        const at = this.now();
        this.runId = Number(this.db.run('INSERT INTO infra_uptime (started_at, last_seen_at, vcpus) VALUES (?, ?, ?)', at, at, this.config.vcpus).lastInsertRowid);
        this.rows = this.db.all<{ id: number; started_at: number; last_seen_at: number; vcpus: number }>('SELECT * FROM infra_uptime ORDER BY started_at')
            .map(r => ({ id: r.id, startedAt: r.started_at, lastSeenAt: r.last_seen_at, vcpus: r.vcpus }));
        this.timer = setInterval(() => {
            this.touch();
            this.onTick?.();
        }, this.tickMs);
        this.timer.unref();
    }

    touch(): void {
        if (this.runId === undefined || !this.db.isOpen) {
            return;
        }
        const at = this.now();
        this.db.run('UPDATE infra_uptime SET last_seen_at = ? WHERE id = ?', at, this.runId);
        const row = this.rows.find(r => r.id === this.runId);
        if (row) {
            row.lastSeenAt = at;
        }
    }

    dispose(): void {
        clearInterval(this.timer);
        try {
            this.touch();
        } catch {
            // The database closed first: the last minute is not recorded.
        }
        this.runId = undefined;
    }

    /** The cost of [from, to) (to is capped at now), rounded to the pico-dollar. */
    costOf(from: number, to: number): Picodollars {
        const end = Math.min(to, this.now());
        if (end <= from) {
            return 0n;
        }
        let total = 0n;
        const { vcpuHourPico, storageGbMonthPico } = this.config;
        if (vcpuHourPico !== undefined) {
            let vcpuMs = 0;
            for (const row of this.rows) {
                const last = row.id === this.runId ? this.now() : row.lastSeenAt;
                vcpuMs += Math.max(0, Math.min(last, end) - Math.max(row.startedAt, from)) * row.vcpus;
            }
            total += (vcpuHourPico * BigInt(Math.round(vcpuMs))) / BigInt(HourMs);
        }
        const first = this.rows[0]?.startedAt;
        if (storageGbMonthPico !== undefined && first !== undefined) {
            const ms = Math.max(0, end - Math.max(first, from));
            total += (storageGbMonthPico * BigInt(Math.round(ms * this.config.storageGb))) / BigInt(HourMs * HoursPerMonth);
        }
        return total;
    }

    /** What the figure is made of, or what to set when it is not configured. */
    detail(): string {
        const { vcpuHourPico, storageGbMonthPico, vcpus, storageGb, sources } = this.config;
        if (!this.configured) {
            return 'Not configured: set STUDIO_COST_VCPU_HOUR_USD and STUDIO_COST_STORAGE_GB_MONTH_USD (or "infrastructure" in .coditect/prices.json) to include it.';
        }
        const parts: string[] = [];
        if (vcpuHourPico !== undefined) {
            parts.push(`${vcpus} vCPU (${sources.vcpus}) at $${picoToUsdString(vcpuHourPico)} per vCPU-hour while the studio runs`);
        }
        if (storageGbMonthPico !== undefined) {
            parts.push(`${storageGb} GB (${sources.storageGb}) at $${picoToUsdString(storageGbMonthPico)} per GB-month`);
        }
        return parts.join('; ');
    }
}
