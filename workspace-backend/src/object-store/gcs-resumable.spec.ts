import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { GcsTestServer } from '@coditect/gcs-test-server';
import { GcsObjectStore } from './gcs-object-store';
import { PreconditionFailedError } from './object-store';

/** Large puts go as resumable uploads against the GCS test server; small ones stay single requests. */
describe('GcsObjectStore: resumable uploads above the threshold', function () {
    this.timeout(30_000);
    let server: GcsTestServer;
    let store: GcsObjectStore;
    beforeEach(async () => {
        server = new GcsTestServer();
        const { url } = await server.start();
        store = new GcsObjectStore({ bucket: 'replica', prefix: 'p', apiEndpoint: url, retryOptions: { maxRetryDelay: 1 }, resumableThresholdBytes: 1 << 20 });
    });
    afterEach(() => server.stop());

    // One POST per upload: the multipart request itself, or the start of a resumable session.
    const uploadTypes = () => server.requests.filter(r => r.method === 'POST' && r.path.startsWith('/upload/')).map(r => r.query.uploadType);

    it('streams a put above the threshold as a resumable upload, and a small one as multipart', async () => {
        const big = crypto.randomBytes(3 << 20);
        const info = await store.put('snap/big', big, { ifAbsent: true });
        assert.equal(info.size, big.length);
        assert.deepEqual(uploadTypes(), ['resumable']);
        assert.deepEqual(await store.get('snap/big'), big);
        await store.put('seg/small', Buffer.from('small'), { ifAbsent: true });
        assert.deepEqual(uploadTypes(), ['resumable', 'multipart']);
    });

    it('a reset after the object was stored: the retry counts as done when the stored bytes are ours', async () => {
        server.faults.add({ kind: 'reset-after', method: 'PUT', pathMatch: '/upload/' });
        const big = crypto.randomBytes(2 << 20);
        const info = await store.put('snap/1', big, { ifAbsent: true });
        assert.equal(info.size, big.length);
        assert.deepEqual(server.object('replica', 'p/snap/1')!.data, big);
        assert.ok(server.requests.filter(r => r.fault === 'reset-after').length >= 1, 'the fault fired');
    });

    it('create-only: other bytes already there are a conflict, the same bytes count as done', async () => {
        const theirs = crypto.randomBytes(2 << 20);
        server.putObject('replica', 'p/snap/2', theirs);
        await assert.rejects(store.put('snap/2', crypto.randomBytes(2 << 20), { ifAbsent: true }), PreconditionFailedError);
        assert.deepEqual(server.object('replica', 'p/snap/2')!.data, theirs);
        const again = await store.put('snap/2', theirs, { ifAbsent: true });
        assert.equal(again.size, theirs.length);
    });
});
