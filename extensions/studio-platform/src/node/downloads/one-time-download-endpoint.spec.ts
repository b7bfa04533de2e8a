import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import * as http from 'node:http';
import express from '@theia/core/shared/express';
import { DownloadBody, OneTimeDownloadEndpoint } from './one-time-download-endpoint';
import { OneTimeDownloads } from './one-time-downloads';

interface Prepared {
    readonly rows: number;
    readonly failAt?: number;
}

/** Streams `rows` lines of 1 KiB, throwing before line `failAt` when set. */
class RowsEndpoint extends OneTimeDownloadEndpoint<Prepared> {
    readonly downloads = new OneTimeDownloads<Prepared>('/downloads/rows', 500);
    readonly prepareAgain = 'export again from the test';
    readonly failureStatus = 400;
    readonly midwayFailures: string[] = [];
    /** Rows handed to the sink so far. */
    rowsProduced = 0;

    protected async open(prepared: Prepared): Promise<DownloadBody> {
        return {
            fileName: 'rows.txt',
            contentType: 'text/plain; charset=utf-8',
            write: async sink => {
                for (let row = 0; row < prepared.rows; row++) {
                    if (row === prepared.failAt) {
                        throw new Error(`row ${row} could not be read`);
                    }
                    this.rowsProduced++;
                    await sink(`${String(row).padStart(8, '0')} ${'x'.repeat(1014)}\n`);
                }
            },
        };
    }

    protected reportMidwayFailure(prepared: Prepared, message: string): void {
        this.midwayFailures.push(message);
    }
}

/** Real HTTP against an express app serving the endpoint. */
describe('OneTimeDownloadEndpoint', () => {
    let endpoint: RowsEndpoint;
    let server: http.Server;
    let baseUrl: string;

    beforeEach(async () => {
        endpoint = new RowsEndpoint();
        const app = express();
        endpoint.configure(app);
        server = app.listen(0, '127.0.0.1');
        await new Promise(resolve => server.once('listening', resolve));
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterEach(() => new Promise(resolve => server.close(resolve)));

    it('streams a prepared download once, with its file name, and refuses the link the second time', async () => {
        const url = endpoint.downloads.prepare({ rows: 3 });
        assert.match(url, /^\/downloads\/rows\/[\w-]{24}$/);
        const first = await fetch(baseUrl + url);
        assert.equal(first.status, 200);
        assert.equal(first.headers.get('content-disposition'), 'attachment; filename="rows.txt"');
        assert.deepEqual((await first.text()).split('\n').map(line => line.slice(0, 8)), ['00000000', '00000001', '00000002', '']);
        const second = await fetch(baseUrl + url);
        assert.equal(second.status, 404);
        assert.match(await second.text(), /unknown or has expired \(links work once, for 1 s\); export again from the test\./);
    });

    it('refuses an expired link and a made-up one alike', async () => {
        const url = endpoint.downloads.prepare({ rows: 1 });
        await new Promise(resolve => setTimeout(resolve, 600));
        assert.equal((await fetch(baseUrl + url)).status, 404);
        assert.equal((await fetch(`${baseUrl}/downloads/rows/not-a-token`)).status, 404);
    });

    it('answers a failure before the first chunk with its status and reason', async () => {
        const response = await fetch(baseUrl + endpoint.downloads.prepare({ rows: 5, failAt: 0 }));
        assert.equal(response.status, 400);
        assert.equal(await response.text(), 'The download failed: row 0 could not be read');
        assert.deepEqual(endpoint.midwayFailures, []);
    });

    it('cuts the connection on a failure midway and reports it, so no truncated file looks complete', async () => {
        const response = await fetch(baseUrl + endpoint.downloads.prepare({ rows: 5000, failAt: 4000 }));
        assert.equal(response.status, 200);
        await assert.rejects(response.text(), /terminated|aborted|socket/i);
        assert.deepEqual(endpoint.midwayFailures, ['row 4000 could not be read']);
    });

    it('stops producing while the reader is not reading (a 50 MiB export never sits in memory)', async () => {
        const rows = 50 * 1024;
        const url = endpoint.downloads.prepare({ rows });
        let received = 0;
        const done = new Promise<void>((resolve, reject) => {
            http.get(baseUrl + url, response => {
                response.pause();
                // Wait until production stalls (or finishes, which is the failure).
                let last = -1;
                const watch = setInterval(() => {
                    if (endpoint.rowsProduced === last) {
                        clearInterval(watch);
                        try {
                            assert.ok(last < rows / 2, `produced ${last} of ${rows} rows with nobody reading`);
                        } catch (error) {
                            reject(error);
                            return;
                        }
                        response.on('data', (chunk: Buffer) => received += chunk.length);
                        response.resume();
                    }
                    last = endpoint.rowsProduced;
                }, 200);
                response.on('end', resolve);
                response.on('error', reject);
            }).on('error', reject);
        });
        await done;
        assert.equal(received, rows * 1024, 'every row arrived once the reader read');
    });
});
