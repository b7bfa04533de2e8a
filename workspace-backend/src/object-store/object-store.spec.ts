import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GcsTestServer } from '@coditect/gcs-test-server';
import { DirectoryObjectStore } from './directory-object-store';
import { GcsObjectStore } from './gcs-object-store';
import { Readable } from 'node:stream';
import { crc32cOf } from './crc32c';
import { ObjectContentMismatchError, ObjectNotFoundError, ObjectStore, PreconditionFailedError } from './object-store';
import { openObjectStore } from './object-store-url';

interface StoreFixture {
    store: ObjectStore;
    dispose(): Promise<void>;
}

const fixtures: Record<string, () => Promise<StoreFixture>> = {
    DirectoryObjectStore: async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dir-store-'));
        return { store: new DirectoryObjectStore(dir), dispose: async () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
    GcsObjectStore: async () => {
        const server = new GcsTestServer();
        const { url } = await server.start();
        return { store: new GcsObjectStore({ bucket: 'replica', prefix: 'ws/1', apiEndpoint: url, retryOptions: { maxRetryDelay: 1 } }), dispose: () => server.stop() };
    },
};

/** One spec body, run against every implementation: the contract in object-store.ts. */
for (const [name, make] of Object.entries(fixtures)) {
    describe(`ObjectStore conformance: ${name}`, () => {
        let fixture: StoreFixture;
        let store: ObjectStore;
        beforeEach(async () => {
            fixture = await make();
            store = fixture.store;
        });
        afterEach(() => fixture.dispose());

        it('puts, heads and gets exact bytes with CRC32C', async () => {
            const data = crypto.randomBytes(70_000);
            const info = await store.put('a/b/c.bin', data);
            assert.equal(info.size, data.length);
            assert.ok(info.crc32c.length > 0 && info.generation.length > 0);
            assert.deepEqual(await store.get('a/b/c.bin'), data);
            const chunks: Buffer[] = [];
            for await (const chunk of await store.getStream('a/b/c.bin')) {
                chunks.push(chunk as Buffer);
            }
            assert.deepEqual(Buffer.concat(chunks), data);
            assert.deepEqual(await store.head('a/b/c.bin'), { ...info, updated: (await store.head('a/b/c.bin'))!.updated });
        });

        it('reports missing objects clearly', async () => {
            assert.equal(await store.head('missing'), undefined);
            await assert.rejects(store.get('missing'), ObjectNotFoundError);
            await assert.rejects(store.getStream('missing'), ObjectNotFoundError);
            await store.delete('missing');
        });

        it('create-only: same bytes again count as done, different bytes fail', async () => {
            const first = await store.put('seg/1', Buffer.from('one'), { ifAbsent: true });
            const again = await store.put('seg/1', Buffer.from('one'), { ifAbsent: true });
            assert.equal(again.generation, first.generation);
            await assert.rejects(store.put('seg/1', Buffer.from('two'), { ifAbsent: true }), PreconditionFailedError);
            assert.equal((await store.get('seg/1')).toString(), 'one');
        });

        it('compare-and-swap on the generation', async () => {
            await assert.rejects(store.put('lease', Buffer.from('x'), { ifGenerationMatch: '12345' }), PreconditionFailedError);
            const v1 = await store.put('lease', Buffer.from('v1'), { ifGenerationMatch: '0' });
            const v2 = await store.put('lease', Buffer.from('v2'), { ifGenerationMatch: v1.generation });
            assert.notEqual(v2.generation, v1.generation);
            await assert.rejects(store.put('lease', Buffer.from('v3'), { ifGenerationMatch: v1.generation }), PreconditionFailedError);
            await assert.rejects(store.delete('lease', { ifGenerationMatch: v1.generation }), PreconditionFailedError);
            await store.delete('lease', { ifGenerationMatch: v2.generation });
            assert.equal(await store.head('lease'), undefined);
        });

        it('lists by prefix in key order', async () => {
            for (const key of ['db/g2/0002', 'db/g1/0010', 'db/g1/0002', 'db/g1/0001', 'dbx/1', 'other']) {
                await store.put(key, Buffer.from(key));
            }
            const keys: string[] = [];
            for await (const info of store.list('db/g1/')) {
                keys.push(info.key);
            }
            assert.deepEqual(keys, ['db/g1/0001', 'db/g1/0002', 'db/g1/0010']);
            const all: string[] = [];
            for await (const info of store.list('db')) {
                all.push(info.key);
            }
            assert.deepEqual(all, ['db/g1/0001', 'db/g1/0002', 'db/g1/0010', 'db/g2/0002', 'dbx/1']);
        });

        it('streams a put in chunks, with create-only and the expected CRC32C', async () => {
            const chunks = Array.from({ length: 40 }, () => crypto.randomBytes(64 * 1024));
            const whole = Buffer.concat(chunks);
            const info = await store.putStream('blobs/big', Readable.from(chunks), { ifAbsent: true, expectedCrc32c: crc32cOf(whole) });
            assert.equal(info.size, whole.length);
            assert.equal(info.crc32c, crc32cOf(whole));
            assert.deepEqual(await store.get('blobs/big'), whole);
            // The same bytes again: done; other bytes: refused, the object unchanged.
            assert.equal((await store.putStream('blobs/big', Readable.from(chunks), { ifAbsent: true, expectedCrc32c: crc32cOf(whole) })).generation, info.generation);
            await assert.rejects(store.putStream('blobs/big', Readable.from([Buffer.from('other')]), { ifAbsent: true }), PreconditionFailedError);
            assert.deepEqual(await store.get('blobs/big'), whole);
        });

        it('a streamed put whose bytes do not match the expected CRC32C publishes nothing', async () => {
            const expected = crc32cOf(Buffer.from('what the hash pass read'));
            await assert.rejects(store.putStream('blobs/changed', Readable.from([Buffer.from('what the upload read')]), { ifAbsent: true, expectedCrc32c: expected }), ObjectContentMismatchError);
            assert.equal(await store.head('blobs/changed'), undefined);
            const listed: string[] = [];
            for await (const entry of store.list('blobs/')) {
                listed.push(entry.key);
            }
            assert.deepEqual(listed, []);
        });

        it('a streamed put honours compare-and-swap', async () => {
            const v1 = await store.putStream('idx', Readable.from([Buffer.from('v1')]), { ifGenerationMatch: '0' });
            await assert.rejects(store.putStream('idx', Readable.from([Buffer.from('x')]), { ifGenerationMatch: '0' }), PreconditionFailedError);
            await store.putStream('idx', Readable.from([Buffer.from('v2')]), { ifGenerationMatch: v1.generation });
            assert.equal((await store.get('idx')).toString(), 'v2');
        });

        it('refuses keys that climb out', async () => {
            await assert.rejects(store.put('../x', Buffer.from('x')), /Invalid object key/);
            await assert.rejects(store.put('/abs', Buffer.from('x')), /Invalid object key/);
        });

        it('concurrent compare-and-swap: exactly one winner', async () => {
            const base = await store.put('cas', Buffer.from('0'), { ifGenerationMatch: '0' });
            const results = await Promise.allSettled([1, 2, 3, 4].map(i => store.put('cas', Buffer.from(String(i)), { ifGenerationMatch: base.generation })));
            assert.equal(results.filter(r => r.status === 'fulfilled').length, 1);
        });
    });
}

describe('GcsObjectStore against HTTP faults', () => {
    let server: GcsTestServer;
    let store: GcsObjectStore;
    beforeEach(async () => {
        server = new GcsTestServer();
        const { url } = await server.start();
        store = new GcsObjectStore({ bucket: 'replica', prefix: 'p', apiEndpoint: url, retryOptions: { maxRetryDelay: 1 } });
    });
    afterEach(() => server.stop());

    it('a reset after the object was stored: the retry gets 412, and equal checksums make it a success', async () => {
        server.faults.add({ kind: 'reset-after', method: 'POST', pathMatch: '/upload/' });
        const info = await store.put('seg/1', Buffer.from('segment'), { ifAbsent: true });
        assert.equal(info.size, 7);
        assert.equal(server.object('replica', 'p/seg/1')!.data.toString(), 'segment');
        assert.ok(server.requests.filter(r => r.path.startsWith('/upload/')).length >= 2, 'the client retried');
    });

    it('a 412 with different content is a real conflict', async () => {
        server.putObject('replica', 'p/seg/1', Buffer.from('theirs'));
        await assert.rejects(store.put('seg/1', Buffer.from('mine'), { ifAbsent: true }), PreconditionFailedError);
    });

    it('503 bursts and resets before storing are retried; truncated downloads are errors', async () => {
        server.faults.add({ kind: 'status', status: 503, method: 'POST', count: 2 });
        server.faults.add({ kind: 'reset-before', method: 'POST' });
        await store.put('a', Buffer.from('abc'), { ifAbsent: true });
        server.putObject('replica', 'p/big', crypto.randomBytes(20_000));
        server.faults.add({ kind: 'truncate', method: 'GET', pathMatch: 'alt=media', count: 6, truncateBytes: 100 });
        await assert.rejects(store.get('big'));
    });

    it('paginates listings over 1000 objects', async () => {
        for (let i = 0; i < 1203; i++) {
            server.putObject('replica', `p/many/${String(i).padStart(5, '0')}`, Buffer.from('x'));
        }
        let n = 0;
        for await (const info of store.list('many/')) {
            assert.ok(info.key.startsWith('many/'));
            n++;
        }
        assert.equal(n, 1203);
        assert.equal(server.requests.filter(r => r.method === 'GET' && r.path.endsWith('/o')).length, 2);
    });

    it('errors name the store and what to do', async () => {
        server.faults.add({ kind: 'status', status: 403, method: 'GET' });
        await assert.rejects(store.head('x'), /gs:\/\/replica\/p\/.*HTTP 403.*permissions/);
    });
});

describe('DirectoryObjectStore: objects deleted while listed', () => {
    it('leaves out an object deleted between its stat and its read, as a bucket listing would, instead of failing the listing', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dir-store-race-'));
        const store = new DirectoryObjectStore(dir);
        const stat = fs.promises.stat;
        try {
            for (const key of ['db/a', 'db/b', 'db/c']) {
                await store.put(key, Buffer.from(key));
            }
            // Retention deletes db/b right after the listing's stat of it: the window the race hit in CI.
            fs.promises.stat = (async (file: fs.PathLike, options?: fs.StatOptions) => {
                const result = await stat(file, options as fs.StatOptions & { bigint: true });
                if (String(file).endsWith(`${path.sep}b`)) {
                    fs.rmSync(file);
                }
                return result;
            }) as typeof fs.promises.stat;
            const keys: string[] = [];
            for await (const info of store.list('db/')) {
                keys.push(info.key);
            }
            assert.deepEqual(keys, ['db/a', 'db/c']);
        } finally {
            fs.promises.stat = stat;
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe('openObjectStore', () => {
    it('understands file:// and gs:// URLs and rejects others', () => {
        assert.ok(openObjectStore('file:///tmp/r') instanceof DirectoryObjectStore);
        const gcs = openObjectStore('gs://bkt/a/b', { apiEndpoint: 'http://127.0.0.1:1' });
        assert.ok(gcs instanceof GcsObjectStore);
        assert.match(gcs.description, /^gs:\/\/bkt\/a\/b\//);
        assert.throws(() => openObjectStore('s3://x'), /not understood/);
        assert.throws(() => openObjectStore('gs://'), /names no bucket/);
    });
});
