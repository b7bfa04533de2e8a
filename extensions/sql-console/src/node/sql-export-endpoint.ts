import { once } from 'node:events';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ExportContentTypes } from '@coditect/workspace-backend/lib/sql-console/result-export';
import type { Application, Request, Response } from '@theia/core/shared/express';
import { SQL_EXPORT_HTTP_PREFIX } from '../common/sql-console-protocol';
import { SqlConsoleHost } from './sql-console-host';

/**
 * `GET /coditect/api/sql-console/export/<token>`: streams a prepared export as a download, a page
 * at a time, waiting for the socket to drain between pages, so a million rows never sit in memory.
 */
@injectable()
export class SqlExportEndpoint implements BackendApplicationContribution {

    @inject(SqlConsoleHost)
    protected readonly host: SqlConsoleHost;

    @inject(ILogger) @named('coditect:sql-console')
    protected readonly logger: ILogger;

    configure(app: Application): void {
        app.get(`${SQL_EXPORT_HTTP_PREFIX}/:token`, (request, response) => void this.handle(request, response));
    }

    protected async handle(request: Request, response: Response): Promise<void> {
        const prepared = this.host.takeExport(String(request.params.token));
        if (!prepared) {
            response.status(404).type('text/plain').send('This export link is unknown or has expired (links work once, for a minute); export again from the SQL console.');
            return;
        }
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        let started = false;
        try {
            const console = await this.host.ready;
            await console.export(prepared.user, prepared, prepared.format, async chunk => {
                if (!started) {
                    started = true;
                    response.status(200);
                    response.setHeader('Content-Type', ExportContentTypes[prepared.format]);
                    response.setHeader('Content-Disposition', `attachment; filename="${prepared.database}-${stamp}.${prepared.format}"`);
                }
                if (!response.write(chunk)) {
                    await once(response, 'drain');
                }
            });
            response.end();
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            if (!started) {
                response.status(400).type('text/plain').send(`The export failed: ${message}`);
            } else {
                this.logger.warn(`an export of ${prepared.database} failed midway: ${message}`);
                response.destroy(error instanceof Error ? error : undefined);
            }
        }
    }
}
