import { randomBytes } from 'node:crypto';
import { injectable } from '@theia/core/shared/inversify';
import type { StudioUser } from '@coditect/studio-core/lib/common/studio-user';
import { COST_EXPORT_HTTP_PREFIX, CostRange } from '../common/cost-dashboard-protocol';

export interface PreparedCostExport {
    readonly range: CostRange;
    readonly user: StudioUser;
    readonly expiresAt: number;
}

/**
 * Exports prepared over RPC and fetched over HTTP (a download the browser starts). A token is
 * random, works once, and expires after a minute: it stands for the user who prepared it.
 */
@injectable()
export class CostExportHost {
    static readonly TtlMs = 60_000;
    protected readonly prepared = new Map<string, PreparedCostExport>();

    prepare(range: CostRange, user: StudioUser): string {
        const now = Date.now();
        for (const [token, old] of this.prepared) {
            if (old.expiresAt < now) {
                this.prepared.delete(token);
            }
        }
        const token = randomBytes(18).toString('base64url');
        this.prepared.set(token, { range, user, expiresAt: now + CostExportHost.TtlMs });
        return `${COST_EXPORT_HTTP_PREFIX}/${token}`;
    }

    take(token: string): PreparedCostExport | undefined {
        const prepared = this.prepared.get(token);
        this.prepared.delete(token);
        return prepared && prepared.expiresAt >= Date.now() ? prepared : undefined;
    }
}
