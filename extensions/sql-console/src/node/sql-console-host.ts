import { WorkspaceCoreHost } from '@coditect/studio-platform/node';
import type { SqlConsole } from '@coditect/workspace-backend';
import type { ConsoleUser } from '@coditect/workspace-backend';
import { OneTimeDownloads } from '@coditect/studio-platform/node';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ExportFormat, SQL_EXPORT_HTTP_PREFIX } from '../common/sql-console-protocol';

export interface PreparedExport {
    readonly user: ConsoleUser;
    readonly database: string;
    readonly sql: string;
    readonly format: ExportFormat;
    readonly timeoutMs?: number;
}

/**
 * The workspace core's SQL console (`core.sqlConsole`: made, and stopped, by the core), and the
 * exports prepared over RPC and fetched once over HTTP (`SqlExportEndpoint`).
 */
@injectable()
export class SqlConsoleHost {
    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    readonly exports = new OneTimeDownloads<PreparedExport>(SQL_EXPORT_HTTP_PREFIX);

    get ready(): Promise<SqlConsole> {
        return this.coreHost.ready.then(core => core.sqlConsole);
    }
}
