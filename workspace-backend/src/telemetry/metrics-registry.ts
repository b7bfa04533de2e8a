import type { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * prom-client, loaded when the first registry is made rather than when this module is imported:
 * every process that imports the core (each operator CLI command, which the specs spawn a hundred
 * times) would otherwise pay for it, and only a running core or fleet makes metrics.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const promClient = (): typeof import('prom-client') => require('prom-client');

/**
 * A registry of Prometheus metrics served as one scrape: the instruments a subclass declares
 * (WorkspaceMetrics, the fleet's FleetMetrics), and gauges refreshed from live state just before
 * each scrape. prom-client does the exposition.
 */
export abstract class MetricsRegistry {
    readonly registry: Registry = new (promClient().Registry)();

    /** Refreshes gauges that read live state; each runs before a scrape. */
    protected readonly refreshers = new Set<() => void | Promise<void>>();

    /**
     * `processMetrics`: also export the process's own (`process_*`, `nodejs_*`: CPU, memory, event
     * loop lag, GC, handles; prom-client's standard names). They watch the whole process and
     * cannot be stopped, so only a process's host turns them on, once.
     */
    constructor(options: { readonly processMetrics?: boolean } = {}) {
        if (options.processMetrics) {
            promClient().collectDefaultMetrics({ register: this.registry });
        }
    }

    get contentType(): string {
        return this.registry.contentType;
    }

    /** Runs `refresh` before every scrape, until disposed; a refresh that throws leaves its gauges as they were. */
    beforeScrape(refresh: () => void | Promise<void>): { dispose(): void } {
        this.refreshers.add(refresh);
        return { dispose: () => this.refreshers.delete(refresh) };
    }

    /** The Prometheus text exposition of every metric, gauges refreshed first. */
    async scrape(): Promise<string> {
        await Promise.all([...this.refreshers].map(async refresh => {
            try {
                await refresh();
            } catch {
                // A part that stopped between the check and the read: its gauges keep their last values.
            }
        }));
        return this.registry.metrics();
    }

    protected counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
        return new (promClient().Counter)({ name, help, labelNames, registers: [this.registry] });
    }

    protected gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
        return new (promClient().Gauge)({ name, help, labelNames, registers: [this.registry] });
    }

    protected histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
        return new (promClient().Histogram)({ name, help, labelNames, buckets, registers: [this.registry] });
    }
}
