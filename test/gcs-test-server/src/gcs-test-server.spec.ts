import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { CRC32C, Storage } from '@google-cloud/storage';
import { crc32cBase64 } from './crc32c';
import { GcsTestServer } from './gcs-test-server';

/** The client's own CRC32C of some bytes, as the base64 string GCS reports. */
function clientCrc(data: Buffer): string {
    const crc = new CRC32C();
    crc.update(data);
    return crc.toString();
}

describe('GcsTestServer with the real @google-cloud/storage client', () => {
    let server: GcsTestServer;
    let storage: Storage;

    beforeEach(async () => {
        server = new GcsTestServer();
        const { url } = await server.start({ port: 0 });
        // async-retry (used by save) needs maxRetryDelay >= 1 s; capping it there keeps fault tests short.
        storage = new Storage({ apiEndpoint: url, projectId: 'test', retryOptions: { maxRetryDelay: 1, maxRetries: 5 } });
    });

    afterEach(() => server.stop());

    const bucket = () => storage.bucket('b');
    const uploads = () => server.requests.filter(r => r.path.startsWith('/upload/'));

    describe('uploads', () => {
        it('stores a simple upload as multipart, with CRC32C and MD5 in the metadata', async () => {
            const data = Buffer.from('hello multipart');
            await bucket().file('dir/a.txt').save(data, { resumable: false, contentType: 'text/plain' });
            assert.deepEqual(uploads().map(r => r.query.uploadType), ['multipart']);
            const [metadata] = await bucket().file('dir/a.txt').getMetadata();
            assert.equal(metadata.size, String(data.length));
            assert.equal(metadata.contentType, 'text/plain');
            assert.equal(metadata.crc32c, clientCrc(data));
            assert.equal(metadata.md5Hash, crypto.createHash('md5').update(data).digest('base64'));
        });

        it('stores a resumable upload in one request and in chunks', async () => {
            const big = crypto.randomBytes(600 * 1024);
            await bucket().file('one').save(big, { resumable: true });
            await bucket().file('chunked').save(big, { resumable: true, chunkSize: 256 * 1024 });
            assert.ok(uploads().some(r => r.query.uploadType === 'resumable' && r.query.upload_id));
            assert.ok(uploads().filter(r => r.method === 'PUT').length >= 4, 'the chunked upload takes several PUTs');
            assert.deepEqual(server.object('b', 'one')!.data, big);
            assert.deepEqual(server.object('b', 'chunked')!.data, big);
        });

        it('stores a media upload (uploadType=media) sent without the client', async () => {
            const res = await fetch(`${server.url}/upload/storage/v1/b/b/o?uploadType=media&name=raw%2Fm.bin`, { method: 'POST', body: 'media-bytes' });
            assert.equal(res.status, 200);
            const json = await res.json() as { name: string; crc32c: string };
            assert.equal(json.name, 'raw/m.bin');
            assert.equal(json.crc32c, clientCrc(Buffer.from('media-bytes')));
            const [content] = await bucket().file('raw/m.bin').download();
            assert.equal(content.toString(), 'media-bytes');
        });

        it('computes CRC32C like the client does', () => {
            for (const size of [0, 1, 7, 1000]) {
                const data = crypto.randomBytes(size);
                assert.equal(crc32cBase64(data), clientCrc(data));
            }
        });
    });

    describe('reads', () => {
        it('downloads whole objects (hash-validated) and byte ranges', async () => {
            const data = crypto.randomBytes(10_000);
            await bucket().file('r').save(data, { resumable: false });
            const [all] = await bucket().file('r').download();
            assert.deepEqual(all, data);
            const [part] = await bucket().file('r').download({ start: 100, end: 199 });
            assert.deepEqual(part, data.subarray(100, 200));
            const [tail] = await bucket().file('r').download({ start: 9990 });
            assert.deepEqual(tail, data.subarray(9990));
        });

        it('answers 404 for a missing object', async () => {
            await assert.rejects(bucket().file('nope').getMetadata(), (e: { code?: number }) => e.code === 404);
            const [exists] = await bucket().file('nope').exists();
            assert.equal(exists, false);
        });

        it('lists with prefix, delimiter and pagination', async () => {
            for (let i = 0; i < 25; i++) {
                server.putObject('b', `seg/${String(i).padStart(3, '0')}`, Buffer.from([i]));
            }
            server.putObject('b', 'seg/sub/x', Buffer.from('x'));
            server.putObject('b', 'other', Buffer.from('o'));
            const [all] = await bucket().getFiles({ prefix: 'seg/', maxResults: 7 });
            assert.equal(all.length, 7, 'maxResults caps an auto-paginated listing');
            const [everything] = await bucket().getFiles({ prefix: 'seg/' });
            assert.equal(everything.length, 26);
            const names: string[] = [];
            let query: { prefix: string; delimiter: string; maxResults: number; pageToken?: string; autoPaginate: false } | undefined =
                { prefix: 'seg/', delimiter: '/', maxResults: 10, autoPaginate: false };
            let pages = 0;
            const prefixes: string[] = [];
            while (query) {
                const [files, next, raw] = await bucket().getFiles(query);
                names.push(...files.map(f => f.name));
                prefixes.push(...((raw as { prefixes?: string[] }).prefixes ?? []));
                pages++;
                query = next as typeof query;
            }
            assert.equal(pages, 3);
            assert.equal(names.length, 25);
            assert.deepEqual(prefixes, ['seg/sub/']);
            assert.deepEqual(names, [...names].sort());
        });
    });

    describe('preconditions', () => {
        it('ifGenerationMatch=0 creates only', async () => {
            const file = bucket().file('once');
            await file.save('first', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
            await assert.rejects(file.save('second', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }), (e: { code?: number }) => e.code === 412);
            await assert.rejects(bucket().file('once').save('third', { resumable: true, preconditionOpts: { ifGenerationMatch: 0 } }), (e: { code?: number }) => e.code === 412);
            assert.equal(server.object('b', 'once')!.data.toString(), 'first');
        });

        it('ifGenerationMatch swaps, ifMetagenerationMatch guards metadata updates, delete honours generations', async () => {
            const file = bucket().file('lease');
            await file.save('v1', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
            const [m1] = await file.getMetadata();
            await file.save('v2', { resumable: false, preconditionOpts: { ifGenerationMatch: Number(m1.generation) } });
            await assert.rejects(file.save('v3', { resumable: false, preconditionOpts: { ifGenerationMatch: Number(m1.generation) } }), (e: { code?: number }) => e.code === 412);
            await file.setMetadata({ metadata: { owner: 'a' } }, { ifMetagenerationMatch: 1 });
            await assert.rejects(file.setMetadata({ metadata: { owner: 'b' } }, { ifMetagenerationMatch: 1 }), (e: { code?: number }) => e.code === 412);
            const [m2] = await file.getMetadata();
            assert.equal(m2.metageneration, '2');
            assert.equal(m2.metadata?.owner, 'a');
            await assert.rejects(file.delete({ ifGenerationMatch: Number(m1.generation) }), (e: { code?: number }) => e.code === 412);
            await file.delete({ ifGenerationMatch: Number(m2.generation) });
            assert.equal(server.object('b', 'lease'), undefined);
        });
    });

    describe('faults', () => {
        it('503 and 429 bursts are retried by the client', async () => {
            server.faults.add({ kind: 'status', status: 503, method: 'POST', pathMatch: '/upload/', count: 2 });
            server.faults.add({ kind: 'status', status: 429, method: 'GET', pathMatch: 'alt=media', count: 2 });
            await bucket().file('f').save('x', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
            const [data] = await bucket().file('f').download();
            assert.equal(data.toString(), 'x');
            assert.equal(server.faults.pending().length, 0);
            assert.deepEqual(server.requests.filter(r => r.fault).map(r => r.status), [503, 503, 429, 429]);
        });

        it('a delay holds the answer back', async () => {
            server.faults.add({ kind: 'delay', delayMs: 300, method: 'GET' });
            const t0 = Date.now();
            await bucket().file('d').exists();
            assert.ok(Date.now() - t0 >= 280);
        });

        it('reset before storing: the retry stores the object', async () => {
            server.faults.add({ kind: 'reset-before', method: 'POST', pathMatch: '/upload/' });
            await bucket().file('rb').save('payload', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
            assert.equal(server.object('b', 'rb')!.data.toString(), 'payload');
            assert.equal(server.requests.filter(r => r.path.startsWith('/upload/')).length, 2);
        });

        it('reset after storing: the create-only retry sees 412 although the object is there', async () => {
            server.faults.add({ kind: 'reset-after', method: 'POST', pathMatch: '/upload/' });
            await assert.rejects(
                bucket().file('ra').save('payload', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }),
                (e: { code?: number }) => e.code === 412);
            assert.equal(server.object('b', 'ra')!.data.toString(), 'payload');
        });

        it('a truncated download is an error, never short data', async () => {
            server.putObject('b', 't', crypto.randomBytes(50_000));
            server.faults.add({ kind: 'truncate', method: 'GET', pathMatch: 'alt=media', count: 6, truncateBytes: 1000 });
            await assert.rejects(bucket().file('t').download());
        });

        it('a truncated JSON answer is an error or retried, never taken as valid', async () => {
            server.putObject('b', 'j', Buffer.from('j'));
            server.faults.add({ kind: 'truncate', method: 'GET', pathMatch: '/o/j', count: 1 });
            try {
                const [m] = await bucket().file('j').getMetadata();
                assert.equal(m.name, 'j');
            } catch (error) {
                assert.ok(error instanceof Error);
            }
            assert.equal(server.faults.pending().length, 0);
        });
    });
});
