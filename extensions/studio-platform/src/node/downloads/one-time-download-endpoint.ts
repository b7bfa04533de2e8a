import { once } from 'node:events';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { injectable } from '@theia/core/shared/inversify';
import type { Application, Request, Response } from '@theia/core/shared/express';
import { mountHttpRoute } from '../http/http-entry-points';
import { OneTimeDownloads } from './one-time-downloads';

/** What a prepared download streams, and how the browser should save it. */
export interface DownloadBody {
    readonly fileName: string;
    readonly contentType: string;
    /** Writes the body a chunk at a time; `sink` resolves when the next chunk may follow. */
    write(sink: (chunk: string) => Promise<void>): Promise<unknown>;
}

/**
 * `GET <prefix>/<token>` for a `OneTimeDownloads` store: streams the prepared download, waiting for
 * the socket to drain between chunks so a large export never sits in memory. A failure before the
 * first chunk is an HTTP error with the reason; a failure midway cuts the connection (the browser
 * then reports the download failed) and is logged, since the status line has already gone.
 */
@injectable()
export abstract class OneTimeDownloadEndpoint<T> implements BackendApplicationContribution {

    protected abstract readonly downloads: OneTimeDownloads<T>;
    /** What to do about an unknown or expired link, ending its message ("export again from the SQL console"). */
    protected abstract readonly prepareAgain: string;
    /** The status of a failure before the first chunk: 400 when it is the request's fault, 500 when it is ours. */
    protected abstract readonly failureStatus: number;

    /** The body of a prepared download; it may throw to refuse it. */
    protected abstract open(prepared: T): Promise<DownloadBody>;
    /** Records a download that failed after its first chunk. */
    protected abstract reportMidwayFailure(prepared: T, message: string): void;

    configure(app: Application): void {
        // Signed in, and the link itself is the capability: made for one export by the person who asked, usable once.
        mountHttpRoute(app, { method: 'GET', path: `${this.downloads.prefix}/:token`, access: 'signed-in' }, (request, response) => void this.handle(request, response));
    }

    protected async handle(request: Request, response: Response): Promise<void> {
        const prepared = this.downloads.take(String(request.params.token));
        if (prepared === undefined) {
            response.status(404).type('text/plain')
                .send(`This download link is unknown or has expired (links work once, for ${Math.round(this.downloads.ttlMs / 1000)} s); ${this.prepareAgain}.`);
            return;
        }
        let started = false;
        try {
            const body = await this.open(prepared);
            await body.write(async chunk => {
                if (!started) {
                    started = true;
                    response.status(200);
                    response.setHeader('Content-Type', body.contentType);
                    response.setHeader('Content-Disposition', `attachment; filename="${body.fileName}"`);
                }
                if (!response.write(chunk)) {
                    await once(response, 'drain');
                }
            });
            response.end();
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            if (!started) {
                response.status(this.failureStatus).type('text/plain').send(`The download failed: ${message}`);
            } else {
                this.reportMidwayFailure(prepared, message);
                response.destroy(error instanceof Error ? error : undefined);
            }
        }
    }
}
