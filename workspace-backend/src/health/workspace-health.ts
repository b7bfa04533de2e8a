/**
 * Health as the workspace core reports it, to the studio's status bar, to `/health` and to the
 * operator CLI. Plain data only: it crosses Theia RPC and is printed as JSON.
 */
export type HealthStatus = 'ok' | 'starting' | 'degraded' | 'down';

export interface ComponentHealth {
    /** Stable identifier, e.g. `workspace-folder`, `db:locks`. */
    readonly id: string;
    /** What a person reads, e.g. "Workspace folder". */
    readonly label: string;
    readonly status: HealthStatus;
    /** One line: what is true now, or what is wrong and what to do about it. */
    readonly detail: string;
    /** Figures worth showing (sizes, lags, versions), by name. */
    readonly metrics?: Readonly<Record<string, number | string | boolean | null>>;
}

export interface WorkspaceHealth {
    readonly status: HealthStatus;
    readonly version: string;
    readonly startedAt: string;
    readonly workspaceDir: string;
    readonly dataDir: string;
    readonly components: readonly ComponentHealth[];
}

const severity: Record<HealthStatus, number> = { ok: 0, starting: 1, degraded: 2, down: 3 };

/**
 * The whole is as healthy as its worst part, except that a part that is down only degrades the
 * whole: the core keeps serving what still works (five databases when one is damaged, say).
 * With no parts at all the core has not started.
 */
export function overallStatus(components: readonly ComponentHealth[]): HealthStatus {
    if (components.length === 0) {
        return 'starting';
    }
    const worst = components.reduce<HealthStatus>((acc, c) => severity[c.status] > severity[acc] ? c.status : acc, 'ok');
    if (worst === 'down') {
        return components.every(c => c.status === 'down') ? 'down' : 'degraded';
    }
    return worst;
}
