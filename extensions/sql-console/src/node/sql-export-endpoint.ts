import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ExportContentTypes } from '@coditect/workspace-backend';
import { DownloadBody, OneTimeDownloadEndpoint } from '@coditect/studio-platform/node';
import { OneTimeDownloads } from '@coditect/studio-platform/node';
import { PreparedExport, SqlConsoleHost } from './sql-console-host';

/**
 * `GET /coditect/api/sql-console/export/<token>`: streams a prepared export as a download, a page
 * of rows at a time, so a million rows never sit in memory. The query runs as the person who
 * prepared it; a query the console refuses is a 400 with its reason.
 */
@injectable()
export class SqlExportEndpoint extends OneTimeDownloadEndpoint<PreparedExport> {

    @inject(SqlConsoleHost)
    protected readonly host: SqlConsoleHost;

    @inject(ILogger) @named('coditect:sql-console')
    protected readonly logger: ILogger;

    protected readonly prepareAgain = 'export again from the SQL console';
    protected readonly failureStatus = 400;

    protected get downloads(): OneTimeDownloads<PreparedExport> {
        return this.host.exports;
    }

    protected async open(prepared: PreparedExport): Promise<DownloadBody> {
        const console = await this.host.ready;
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        return {
            fileName: `${prepared.database}-${stamp}.${prepared.format}`,
            contentType: ExportContentTypes[prepared.format],
            write: sink => console.export(prepared.user, prepared, prepared.format, sink),
        };
    }

    protected reportMidwayFailure(prepared: PreparedExport, message: string): void {
        this.logger.warn(`an export of ${prepared.database} failed midway: ${message}`);
    }
}
