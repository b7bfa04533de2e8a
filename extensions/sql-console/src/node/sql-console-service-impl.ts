import type { RpcPolicy } from '@coditect/workspace-backend';
import { StudioUserProvider } from '@coditect/studio-platform/node';
import type { SqlConsoleSession } from '@coditect/workspace-backend';
import { inject, injectable } from '@theia/core/shared/inversify';
import {
    ConsoleUser, DatabaseSummary, ExportFormat, HistoryEntry, ResultPage, RunRequest, RunResult, SchemaTable, SqlConsoleService,
} from '../common/sql-console-protocol';
import { SqlConsoleHost } from './sql-console-host';

/** The action of each method (policy/entry-policy.ts); a run with writes is decided inside (`sql.write`, audited). */
export const SqlConsoleServicePolicy: RpcPolicy<SqlConsoleServiceImpl> = {
    whoAmI: 'sql.read', databases: 'sql.read', schema: 'sql.read', run: 'sql.read', fetch: 'sql.read', cell: 'sql.read', cancel: 'sql.read',
    closeRun: 'sql.read', history: 'sql.read', prepareExport: 'sql.read', dispose: 'connection',
};

/** One per browser connection: runs as that connection's user; `dispose()` stops its queries. */
@injectable()
export class SqlConsoleServiceImpl implements SqlConsoleService {

    @inject(SqlConsoleHost)
    protected readonly host: SqlConsoleHost;

    @inject(StudioUserProvider)
    protected readonly users: StudioUserProvider;

    protected session: SqlConsoleSession | undefined;
    protected disposed = false;

    async whoAmI(): Promise<{ user: ConsoleUser; canWrite: boolean }> {
        const user = this.users.currentUser();
        return { user, canWrite: user.role === 'admin' };
    }

    async databases(): Promise<DatabaseSummary[]> {
        return (await this.host.ready).databases();
    }

    async schema(database: string): Promise<SchemaTable[]> {
        return (await this.host.ready).schema(database);
    }

    async run(request: RunRequest): Promise<RunResult> {
        return (await this.consoleSession()).run(request);
    }

    async fetch(runId: string, pageSize?: number): Promise<ResultPage> {
        return (await this.consoleSession()).fetch(runId, pageSize);
    }

    async cell(runId: string, ref: number): Promise<string> {
        return (await this.consoleSession()).cell(runId, ref);
    }

    async cancel(database: string): Promise<boolean> {
        return this.session?.cancel(database) ?? false;
    }

    async closeRun(runId: string): Promise<void> {
        await this.session?.closeRun(runId);
    }

    async history(limit?: number): Promise<HistoryEntry[]> {
        return (await this.host.ready).history(this.users.currentUser(), limit);
    }

    async prepareExport(request: { database: string; sql: string; format: ExportFormat; timeoutMs?: number }): Promise<string> {
        if (request.format !== 'csv' && request.format !== 'json') {
            throw new Error(`Exports are CSV or JSON, not "${request.format}".`);
        }
        return this.host.exports.prepare({ ...request, user: this.users.currentUser() });
    }

    dispose(): void {
        this.disposed = true;
        void this.session?.dispose();
        this.session = undefined;
    }

    protected async consoleSession(): Promise<SqlConsoleSession> {
        const console = await this.host.ready;
        if (this.disposed) {
            throw new Error('This browser connection has closed.');
        }
        this.session ??= console.openSession(this.users.currentUser());
        return this.session;
    }
}
