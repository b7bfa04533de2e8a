import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FaultProxy, FaultSpec } from '@coditect/gcs-test-server';
import { ObjectStore, ObjectStoreError } from '../object-store/object-store';
import { listGenerations } from './generation';
import { restoreDatabase, RestoreResult } from './restore';
import { makeReplicaStore, ReplicaStoreFixture } from './test-support/replica-store-fixtures';
import { WriterProcess } from './test-support/writer-process';

/**
 * Restores the replica to a fresh file and checks it: `integrity_check` ok, and every
 * durable-acknowledged row present. Returns the restore's result and the rows it holds.
 */
async function restoreAndCheck(store: ObjectStore, target: string, acked: readonly number[]): Promise<{ result: RestoreResult; ids: Set<number> }> {
    const result = await restoreDatabase({ store, db: 'main', targetPath: target });
    const db = new Database(target, { readonly: true });
    try {
        assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
        const ids = new Set((db.prepare('SELECT id FROM t').all() as { id: number }[]).map(r => r.id));
        assert.deepEqual(acked.filter(id => !ids.has(id)), [], `acknowledged rows missing from the restore (${JSON.stringify(result)})`);
        return { result, ids };
    } finally {
        db.close();
    }
}

/** Resolves once every hit of `fault` (a rule added to `proxy`) has been dealt with. */
function faultDone(proxy: FaultProxy, fault: { id: number; count?: number }): Promise<void> {
    const count = fault.count ?? 1;
    return proxy.until(() => proxy.requests.filter(r => r.faultId === fault.id).length >= count, `fault ${fault.id} hit ${count} times`);
}

/**
 * A writer child replicates to the GCS test server through the fault proxy, with the real
 * @google-cloud/storage client; a fault burst is injected while it writes. Sync must resume once
 * the burst is spent, and a restore must hold every durable-acknowledged row.
 */
describe('replication through HTTP faults (writer child, fault proxy, GCS test server)', function () {
    this.timeout(90_000);
    let dir: string;
    let replica: ReplicaStoreFixture;
    let proxy: FaultProxy;
    let dbPath: string;
    beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcs-faults-'));
        replica = await makeReplicaStore('gcs', dir, { faults: true });
        proxy = replica.proxy!;
        dbPath = path.join(dir, 'data', 'main.db');
        fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    });
    afterEach(async () => {
        await replica.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    // Create-only uploads are segments and snapshots (the lease swaps on a real generation).
    const createOnly = { method: 'POST', pathMatch: 'ifGenerationMatch=0' } as const;
    const cases: { name: string; fault: FaultSpec; env?: Record<string, string>; check?(): void }[] = [
        { name: 'a 429 burst on uploads', fault: { kind: 'status', status: 429, method: 'POST', pathMatch: '/upload/', count: 3 } },
        { name: 'a 503 burst on uploads', fault: { kind: 'status', status: 503, method: 'POST', pathMatch: '/upload/', count: 3 } },
        { name: 'resets before the object is stored', fault: { kind: 'reset-before', ...createOnly, count: 2 } },
        {
            name: 'resets after the object is stored (the retry meets 412 and compares checksums)', fault: { kind: 'reset-after', ...createOnly, count: 2 },
            check: () => assert.ok(replica.server!.requests.some(r => r.path.startsWith('/upload/') && r.status === 412), 'a retried create-only upload met 412'),
        },
        {
            name: 'responses slower than the request timeout', fault: { kind: 'delay', delayMs: 4000, ...createOnly, count: 2 },
            env: { TEST_GCS_TIMEOUT_MS: '1500' },
        },
    ];

    for (const c of cases) {
        it(`${c.name}: sync resumes, every acknowledged write restores`, async () => {
            const child = new WriterProcess({ CRASH_DB: dbPath, ...replica.env, ...c.env });
            try {
                await child.until(() => child.acked.length >= 5, 'five acknowledgements before the faults');
                const fault = proxy.faults.add(c.fault);
                await faultDone(proxy, fault);
                const before = child.acked.length;
                await child.until(() => child.acked.length >= before + 10, 'ten acknowledgements after the faults were spent');
                assert.equal(child.message('fenced'), undefined, 'faults never fence the writer');
            } finally {
                child.kill('SIGKILL');
                await child.exited;
            }
            assert.equal(proxy.hits(c.fault.kind).length, c.fault.count);
            c.check?.();
            await restoreAndCheck(replica.store, path.join(dir, 'restored.db'), child.acked);
        });
    }

    describe('restore through read faults', () => {
        let acked: number[];
        beforeEach(async () => {
            // Enough rows for a few snapshots' worth of segments in the newest generation.
            const child = new WriterProcess({ CRASH_DB: dbPath, ...replica.env });
            await child.until(() => child.acked.length >= 40, 'forty acknowledgements').finally(() => child.kill('SIGKILL'));
            await child.exited;
            acked = child.acked;
        });

        it('truncated bodies: detected and retried, never applied', async () => {
            const truncated = proxy.faults.add({ kind: 'truncate', method: 'GET', pathMatch: 'alt=media', count: 2, truncateBytes: 200 });
            const { result } = await restoreAndCheck(replica.store, path.join(dir, 'restored.db'), acked);
            assert.equal(truncated.hits, 2);
            assert.equal(result.truncatedBecause, undefined);
        });

        it('reads of the newest generation that keep failing fail the restore, rather than restore an older one', async () => {
            const generations = (await listGenerations(replica.store, 'main')).map(g => g.generation);
            assert.ok(generations.length >= 2, `an older generation to fall back to (${generations.join(', ')})`);
            const newest = generations[generations.length - 1];
            proxy.faults.add({ kind: 'truncate', method: 'GET', pathMatch: `${newest}/0000000001.segment?alt=media`, count: Infinity, truncateBytes: 200 });
            const target = path.join(dir, 'restored.db');
            await assert.rejects(restoreDatabase({ store: replica.store, db: 'main', targetPath: target }), (e: Error) => e instanceof ObjectStoreError && /reading .*0000000001\.segment/.test(e.message));
            assert.ok(proxy.hits('truncate').length >= 3, 'the read was tried again before giving up');
            assert.equal(fs.existsSync(target), false, 'nothing was restored');
        });

        it('paginated listings: every page is followed', async () => {
            proxy.faults.add({ kind: 'page-size', pageSize: 2, method: 'GET', pathMatch: /\/o\?/, count: Infinity });
            const { result } = await restoreAndCheck(replica.store, path.join(dir, 'restored.db'), acked);
            assert.ok(proxy.hits('page-size').length >= 3, `the listing came in pages (${proxy.hits('page-size').length})`);
            assert.equal(result.truncatedBecause, undefined);
        });

        it('429 and 503 on reads are retried', async () => {
            proxy.faults.add({ kind: 'status', status: 429, method: 'GET', pathMatch: 'alt=media', count: 2 });
            proxy.faults.add({ kind: 'status', status: 503, method: 'GET', pathMatch: /\/o\?/, count: 2 });
            await restoreAndCheck(replica.store, path.join(dir, 'restored.db'), acked);
            assert.equal(proxy.hits('status').length, 4);
        });
    });
});
