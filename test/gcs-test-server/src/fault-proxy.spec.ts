import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import { FaultProxy } from './fault-proxy';
import { GcsTestServer } from './gcs-test-server';

/** The real @google-cloud/storage client talks to the test server through the fault proxy. */
describe('FaultProxy between @google-cloud/storage and the GCS test server', function () {
    this.timeout(30_000);
    let server: GcsTestServer;
    let proxy: FaultProxy;
    let storage: Storage;

    beforeEach(async () => {
        server = new GcsTestServer();
        const { url } = await server.start();
        proxy = new FaultProxy();
        // maxRetryDelay is in seconds (async-retry needs >= 1): retries stay quick.
        storage = new Storage({ apiEndpoint: await proxy.start(url), projectId: 'test', retryOptions: { maxRetryDelay: 1, maxRetries: 5 } });
    });
    afterEach(async () => {
        await proxy.stop();
        await server.stop();
    });

    const file = (name: string) => storage.bucket('b').file(name);
    const createOnly = { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } } as const;
    const status = (e: unknown) => (e as { code?: number }).code;

    it('forwards untouched traffic, resumable sessions included (their Location points back at the proxy)', async () => {
        const big = crypto.randomBytes(600 * 1024);
        await file('r').save(big, { resumable: true, chunkSize: 256 * 1024 });
        await file('m').save('small', createOnly);
        assert.deepEqual((await file('r').download())[0], big);
        assert.ok(proxy.requests.filter(r => r.method === 'PUT' && r.path.includes('upload_id=')).length >= 3, 'the chunks crossed the proxy');
        assert.equal(proxy.requests.length, server.requests.length, 'every request reached the server through the proxy');
        assert.deepEqual(proxy.hits(), []);
    });

    it('429 and 503 bursts: answered by the proxy, retried by the client, counted', async () => {
        const throttled = proxy.faults.add({ kind: 'status', status: 429, method: 'POST', pathMatch: '/upload/', count: 2 });
        const unavailable = proxy.faults.add({ kind: 'status', status: 503, method: 'GET', pathMatch: 'alt=media', count: 2 });
        await file('f').save('x', createOnly);
        assert.equal((await file('f').download())[0].toString(), 'x');
        assert.equal(throttled.hits, 2);
        assert.equal(unavailable.hits, 2);
        assert.deepEqual(proxy.hits('status').map(r => r.status), [429, 429, 503, 503]);
        assert.ok(proxy.hits().every(r => !r.forwarded), 'an injected status never reaches the server');
        assert.equal(server.requests.filter(r => r.path.startsWith('/upload/')).length, 1);
    });

    it('a reset before forwarding stores nothing; the retry stores the object once', async () => {
        proxy.faults.add({ kind: 'reset-before', method: 'POST', pathMatch: '/upload/' });
        await file('rb').save('payload', createOnly);
        assert.equal(proxy.hits('reset-before').length, 1);
        assert.equal(server.requests.filter(r => r.path.startsWith('/upload/')).length, 1, 'only the retry reached the server');
        assert.equal(server.object('b', 'rb')!.data.toString(), 'payload');
    });

    it('a reset after the server stored the object: the create-only retry meets 412', async () => {
        proxy.faults.add({ kind: 'reset-after', method: 'POST', pathMatch: 'ifGenerationMatch=0' });
        await assert.rejects(file('ra').save('payload', createOnly), (e: unknown) => status(e) === 412);
        assert.equal(proxy.hits('reset-after').length, 1);
        assert.ok(proxy.hits('reset-after')[0].forwarded);
        assert.deepEqual(server.requests.filter(r => r.path.startsWith('/upload/')).map(r => r.status), [200, 412]);
        assert.equal(server.object('b', 'ra')!.data.toString(), 'payload');
    });

    it('a delay holds the request back before the server sees it', async () => {
        proxy.faults.add({ kind: 'delay', delayMs: 400, method: 'GET' });
        const t0 = Date.now();
        const [exists] = await file('d').exists();
        assert.equal(exists, false);
        // A lower bound only: a loaded machine makes it longer, never shorter.
        assert.ok(Date.now() - t0 >= 390);
        assert.equal(proxy.hits('delay').length, 1);
    });

    it('a truncated download is detected by the client, never returned short', async () => {
        const data = crypto.randomBytes(50_000);
        server.putObject('b', 't', data);
        proxy.faults.add({ kind: 'truncate', method: 'GET', pathMatch: 'alt=media', count: Infinity, truncateBytes: 1000 });
        await assert.rejects(file('t').download());
        assert.ok(proxy.hits('truncate').length >= 1);
        proxy.faults.clear();
        assert.deepEqual((await file('t').download())[0], data, 'once the rule is cleared, reads are whole again');
    });

    it('page-size: a listing of a few objects comes in pages the client follows', async () => {
        for (let i = 0; i < 7; i++) {
            server.putObject('b', `seg/${i}`, Buffer.from([i]));
        }
        proxy.faults.add({ kind: 'page-size', pageSize: 2, method: 'GET', pathMatch: /\/o\?/, count: Infinity });
        const [files] = await storage.bucket('b').getFiles({ prefix: 'seg/' });
        assert.deepEqual(files.map(f => f.name), ['seg/0', 'seg/1', 'seg/2', 'seg/3', 'seg/4', 'seg/5', 'seg/6']);
        assert.equal(proxy.hits('page-size').length, 4);
    });

    it('rules change while traffic flows, and until() waits for the traffic, not the clock', async () => {
        const burst = proxy.faults.add({ kind: 'status', status: 503, method: 'POST', count: 3 });
        const saved = file('u').save('u', createOnly);
        await proxy.until(() => burst.hits === 3 && proxy.hits('status').length === 3, 'three 503s');
        await saved;
        assert.equal(proxy.faults.pending().length, 0);
        proxy.faults.add({ kind: 'reset-before', method: 'GET', count: 1 });
        assert.equal((await file('u').download())[0].toString(), 'u');
        assert.deepEqual(proxy.hits().map(r => r.fault), ['status', 'status', 'status', 'reset-before']);
        assert.equal(proxy.inFlight, 0);
    });
});
