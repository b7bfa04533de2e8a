import { randomBytes } from 'node:crypto';
import { WorkspaceCoreHost } from '@coditect/studio-core/lib/node/workspace-core-host';
import { SqlConsole } from '@coditect/workspace-backend/lib/sql-console/sql-console';
import type { ConsoleUser } from '@coditect/workspace-backend/lib/sql-console/console-types';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ExportFormat, SQL_EXPORT_HTTP_PREFIX } from '../common/sql-console-protocol';

export interface PreparedExport {
    readonly user: ConsoleUser;
    readonly database: string;
    readonly sql: string;
    readonly format: ExportFormat;
    readonly timeoutMs?: number;
    readonly expiresAt: number;
}

/**
 * The one SQL console of this backend (over the workspace core's databases), and the exports
 * prepared over RPC and fetched over HTTP. An export token is random, used once, and expires
 * after a minute: it stands for the user who prepared it.
 */
@injectable()
export class SqlConsoleHost {
    static readonly ExportTtlMs = 60_000;

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    protected console: Promise<SqlConsole> | undefined;
    protected readonly exports = new Map<string, PreparedExport>();

    get ready(): Promise<SqlConsole> {
        this.console ??= this.coreHost.ready.then(core => new SqlConsole(core.databases));
        return this.console;
    }

    prepareExport(prepared: Omit<PreparedExport, 'expiresAt'>): string {
        const now = Date.now();
        for (const [token, old] of this.exports) {
            if (old.expiresAt < now) {
                this.exports.delete(token);
            }
        }
        const token = randomBytes(18).toString('base64url');
        this.exports.set(token, { ...prepared, expiresAt: now + SqlConsoleHost.ExportTtlMs });
        return `${SQL_EXPORT_HTTP_PREFIX}/${token}`;
    }

    takeExport(token: string): PreparedExport | undefined {
        const prepared = this.exports.get(token);
        this.exports.delete(token);
        return prepared && prepared.expiresAt >= Date.now() ? prepared : undefined;
    }
}
