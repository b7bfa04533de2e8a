import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { WorkspaceCoreHost } from '@coditect/studio-platform/node';
import { DownloadBody, OneTimeDownloadEndpoint } from '@coditect/studio-platform/node';
import { CostExports, PreparedCostExport } from './cost-exports';

/**
 * `GET /coditect/api/costs/export/<token>`: streams the prepared range of the cost ledger as a CSV
 * download, a page of entries at a time.
 */
@injectable()
export class CostExportEndpoint extends OneTimeDownloadEndpoint<PreparedCostExport> {

    @inject(CostExports)
    protected readonly downloads: CostExports;

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    @inject(ILogger) @named('coditect:costs')
    protected readonly logger: ILogger;

    protected readonly prepareAgain = 'export again from the Cost Dashboard';
    protected readonly failureStatus = 500;

    protected async open(prepared: PreparedCostExport): Promise<DownloadBody> {
        const core = await this.coreHost.ready;
        return {
            fileName: `costs-${prepared.range}-${new Date().toISOString().slice(0, 10)}.csv`,
            contentType: 'text/csv; charset=utf-8',
            write: sink => core.costs.exportCsv(prepared.range, sink),
        };
    }

    protected reportMidwayFailure(prepared: PreparedCostExport, message: string): void {
        this.logger.warn(`a cost export (${prepared.range}) failed midway: ${message}`);
    }
}
