import { WorkspaceCoreHost } from '@coditect/studio-core/lib/node/workspace-core-host';
import { SqlConsole } from '@coditect/workspace-backend/lib/sql-console/sql-console';
import type { ConsoleUser } from '@coditect/workspace-backend/lib/sql-console/console-types';
import { OneTimeDownloads } from '@coditect/studio-core/lib/node/downloads/one-time-downloads';
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
 * The one SQL console of this backend (over the workspace core's databases), and the exports
 * prepared over RPC and fetched once over HTTP (`SqlExportEndpoint`).
 */
@injectable()
export class SqlConsoleHost {
    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    protected console: Promise<SqlConsole> | undefined;
    readonly exports = new OneTimeDownloads<PreparedExport>(SQL_EXPORT_HTTP_PREFIX);

    get ready(): Promise<SqlConsole> {
        this.console ??= this.coreHost.ready.then(core => new SqlConsole(core.databases, {
            // The lock manager's in-memory table is the truth of locks.db; a console write there would contradict it.
            ownedDatabases: { locks: 'the lock manager (release a lock with Force Release in the file tree, or DELETE /coditect/api/locks/<id>)' },
            policy: core.policy,
        }));
        return this.console;
    }
}
