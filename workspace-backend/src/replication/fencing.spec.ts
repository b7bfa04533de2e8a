import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FaultProxy } from '@coditect/gcs-test-server';
import { LEASE_KEY } from './generation';
import type { LeaseRecord } from './lease';
import { restoreDatabase } from './restore';
import { makeReplicaStore, ReplicaStoreFixture } from './test-support/replica-store-fixtures';
import { WriterProcess } from './test-support/writer-process';

function ids(file: string): number[] {
    const db = new Database(file, { readonly: true });
    try {
        return (db.prepare('SELECT id FROM t ORDER BY id').all() as { id: number }[]).map(r => r.id);
    } finally {
        db.close();
    }
}

/**
 * An overlapping deploy: two real processes replicate the same database to one bucket on the
 * GCS test server. The old pod holds the lease and is frozen (SIGSTOP) so it cannot renew; the
 * new pod restores, waits for the lease to expire, takes it and writes. When the old pod is
 * resumed (SIGCONT) it must stop writing to the replica and say who took over, and the replica
 * must hold exactly the new pod's history.
 *
 * The old pod reaches the bucket through its own proxy, so every request it makes is recorded:
 * "nothing of the old pod's after the takeover" is checked on its traffic, not guessed from the
 * bucket. It freezes itself right after an acknowledgement, when no upload of its own is in
 * flight. A pause in the middle of an upload would let that upload land after the takeover:
 * no lease can recall a request already sent (the store would have to check a fencing token).
 * Such a straggler can only add to the old generation, which the new pod's newer generation
 * supersedes in a restore.
 */
describe('fencing: two writer processes on one GCS replica (the old pod frozen, the new pod takes over)', function () {
    this.timeout(90_000);
    let dir: string;
    let replica: ReplicaStoreFixture;
    let oldProxy: FaultProxy;
    beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fencing-'));
        replica = await makeReplicaStore('gcs', dir);
        oldProxy = new FaultProxy();
        await oldProxy.start(replica.server!.url);
    });
    afterEach(async () => {
        await oldProxy.stop();
        await replica.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the old writer stops and names the new holder; a restore equals the new writer\'s database', async () => {
        // The lease's time to live, renewed every third of it: the old pod freezes with 4 to 6 s of
        // it left, and the new one must ask for the lease within that window to have to wait.
        const ttl = { CRASH_LEASE_TTL_MS: '6000' };
        const oldDb = path.join(dir, 'old', 'main.db');
        const newDb = path.join(dir, 'new', 'main.db');
        fs.mkdirSync(path.dirname(oldDb), { recursive: true });
        fs.mkdirSync(path.dirname(newDb), { recursive: true });

        const old = new WriterProcess({ ...replica.env, ...ttl, STUDIO_GCS_API_ENDPOINT: oldProxy.url, CRASH_DB: oldDb, CRASH_FREEZE_AFTER_ACK: '12' });
        // The new pod starts meanwhile and waits for `go`: its start-up (node, SQLite, the GCS client;
        // seconds on a loaded machine) is not spent from the old lease's remaining life. At a load of
        // 15 it was, the old lease had expired before the new pod first asked, and it never had to wait.
        const fresh = new WriterProcess({ ...replica.env, ...ttl, CRASH_DB: newDb, CRASH_RESTORE: '1', CRASH_FIRST_ID: '1000001', CRASH_WAIT_FOR_GO: '1' });
        const pods = [old, fresh];
        try {
            await fresh.until(() => fresh.message('ready') !== undefined, 'the new writer loaded');
            await old.until(() => old.message('frozen') !== undefined, 'the old writer froze itself');
            const oldAcked = [...old.acked];
            const oldLease = JSON.parse((await replica.store.get(LEASE_KEY)).toString()) as LeaseRecord;
            assert.match(oldLease.owner, new RegExp(`:${old.pid}:`), 'the frozen old writer holds the lease');
            fresh.go();
            await fresh.until(() => fresh.message('started') !== undefined, 'the new writer took the lease');
            // The old pod was frozen all along: whatever it sends from here on comes after the takeover.
            const takeoverMark = oldProxy.requests.length;
            assert.ok(fresh.messages.some(m => m.leaseBusy), 'the new writer had to wait for the old lease to expire');
            // Never two holders: the new pod took the lease only once the old one had run out (one clock: one machine).
            assert.ok(fresh.message('started')!.at >= Date.parse(oldLease.expiresAt),
                `the new writer took the lease at ${new Date(fresh.message('started')!.at).toISOString()}, the old one's ran to ${oldLease.expiresAt}`);
            assert.match(fresh.message('started')!.owner, new RegExp(`:${fresh.pid}:`));
            await fresh.until(() => fresh.acked.length >= 10, 'ten acknowledgements of the new writer');

            old.kill('SIGCONT');
            await old.until(() => old.message('fenced') !== undefined, 'the old writer reported why it stopped');
            assert.match(old.message('fenced')!, new RegExp(`took the replica lease .*${fresh.message('started')!.owner}.*pid ${fresh.pid}`),
                `the old writer names the new holder; it said: ${old.message('fenced')}`);
            assert.equal((await old.exited).code, 0, 'the old writer stopped cleanly');
            assert.deepEqual(old.acked, oldAcked, 'nothing was acknowledged to the old writer after its pause');

            const acks = fresh.acked.length;
            await fresh.until(() => fresh.acked.length >= acks + 5, 'the new writer writing on, undisturbed');
            fresh.kill('SIGTERM');
            assert.equal((await fresh.exited).code, 0);

            const afterTakeover = oldProxy.requests.slice(takeoverMark);
            const stored = afterTakeover.filter(r => r.path.startsWith('/upload/') && r.status === 200);
            assert.deepEqual(stored, [], 'the old writer stored nothing (segment, snapshot or lease) after the takeover');

            const restored = path.join(dir, 'restored.db');
            await restoreDatabase({ store: replica.store, db: 'main', targetPath: restored });
            const newRows = ids(newDb);
            assert.deepEqual(ids(restored), newRows, 'the replica holds exactly the new writer\'s database');
            assert.deepEqual(newRows, [...oldAcked, ...fresh.acked].sort((a, b) => a - b), 'the old writer\'s acknowledged rows (restored by the new one) and the new writer\'s');
        } finally {
            pods.forEach(pod => pod.kill('SIGKILL'));
            await Promise.all(pods.map(pod => pod.exited));
        }
    });
});
