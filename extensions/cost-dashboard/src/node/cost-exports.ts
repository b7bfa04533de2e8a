import type { StudioUser } from '@coditect/studio-platform/common';
import { OneTimeDownloads } from '@coditect/studio-platform/node';
import { COST_EXPORT_HTTP_PREFIX, CostRange } from '../common/cost-dashboard-protocol';

/** A cost ledger export prepared over RPC, for `CostExportEndpoint` to stream. */
export interface PreparedCostExport {
    readonly range: CostRange;
    readonly user: StudioUser;
}

/** The backend's one store of prepared cost exports. */
export const CostExports = Symbol('CostExports');
export type CostExports = OneTimeDownloads<PreparedCostExport>;

export function createCostExports(): CostExports {
    return new OneTimeDownloads<PreparedCostExport>(COST_EXPORT_HTTP_PREFIX);
}
