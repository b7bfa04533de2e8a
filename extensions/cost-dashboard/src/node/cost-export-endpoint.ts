import { once } from 'node:events';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import type { Application, Request, Response } from '@theia/core/shared/express';
import { WorkspaceCoreHost } from '@coditect/studio-core/lib/node/workspace-core-host';
import { COST_EXPORT_HTTP_PREFIX } from '../common/cost-dashboard-protocol';
import { CostExportHost } from './cost-export-host';

/**
 * `GET /coditect/api/costs/export/<token>`: streams the prepared range of the cost ledger as a CSV
 * download, a page of entries at a time, waiting for the socket to drain between pages.
 */
@injectable()
export class CostExportEndpoint implements BackendApplicationContribution {

    @inject(CostExportHost)
    protected readonly exports: CostExportHost;

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    @inject(ILogger) @named('coditect:costs')
    protected readonly logger: ILogger;

    configure(app: Application): void {
        app.get(`${COST_EXPORT_HTTP_PREFIX}/:token`, (request, response) => void this.handle(request, response));
    }

    protected async handle(request: Request, response: Response): Promise<void> {
        const prepared = this.exports.take(String(request.params.token));
        if (!prepared) {
            response.status(404).type('text/plain').send('This export link is unknown or has expired (links work once, for a minute); export again from the Cost Dashboard.');
            return;
        }
        let started = false;
        try {
            const core = await this.coreHost.ready;
            const stamp = new Date().toISOString().slice(0, 10);
            await core.costs.exportCsv(prepared.range, async chunk => {
                if (!started) {
                    started = true;
                    response.status(200);
                    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
                    response.setHeader('Content-Disposition', `attachment; filename="costs-${prepared.range}-${stamp}.csv"`);
                }
                if (!response.write(chunk)) {
                    await once(response, 'drain');
                }
            });
            response.end();
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            if (!started) {
                response.status(500).type('text/plain').send(`The export failed: ${message}`);
            } else {
                this.logger.warn(`a cost export failed midway: ${message}`);
                response.destroy(error instanceof Error ? error : undefined);
            }
        }
    }
}
