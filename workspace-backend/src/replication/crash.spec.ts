import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseReplicator } from './database-replicator';
import { restoreDatabase } from './restore';
import { makeReplicaStore, REPLICA_STORE_KINDS, ReplicaStoreFixture } from './test-support/replica-store-fixtures';
import { WriterProcess } from './test-support/writer-process';

/**
 * When to signal the child: `delayMs` after its `count`-th message of kind `after`, so start-up time
 * (long on a loaded machine) never decides whether the child got anything done first.
 */
interface KillTrigger {
    readonly after: 'ack' | 'wrote';
    readonly count: number;
    readonly delayMs: number;
}

async function runChild(env: Record<string, string>, trigger?: KillTrigger, signal: NodeJS.Signals = 'SIGKILL') {
    const child = new WriterProcess(env, 40_000);
    if (trigger) {
        const seen = () => (trigger.after === 'ack' ? child.acked : child.wrote).length >= trigger.count;
        await child.until(seen, `${trigger.count} ${trigger.after} messages`).then(
            () => setTimeout(() => child.kill(signal), trigger.delayMs),
            () => undefined);
    }
    const { code, signal: died } = await child.exited;
    return { acked: child.acked, wrote: child.wrote, code, signal: died };
}

function ids(file: string): Set<number> {
    const db = new Database(file, { readonly: true });
    try {
        return new Set((db.prepare('SELECT id FROM t').all() as { id: number }[]).map(r => r.id));
    } finally {
        db.close();
    }
}

/**
 * SIGKILL the writer at random and named points; every durable-acknowledged row must survive,
 * restoring from the store alone (disk wiped) and from the kept disk plus the store. One case
 * list, run against each store: a directory, and the GCS test server through the real client.
 */
for (const kind of REPLICA_STORE_KINDS) describe(`crash safety (child process, SIGKILL, IPC acknowledgements), ${kind} store`, function () {
    this.timeout(60_000);
    let dir: string;
    let replica: ReplicaStoreFixture;
    beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-'));
        replica = await makeReplicaStore(kind, dir);
    });
    afterEach(async () => {
        await replica.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const scenarios: { name: string; env?: Record<string, string>; kill?: KillTrigger }[] = [
        { name: 'random moment (early)', kill: { after: 'ack', count: 1, delayMs: Math.floor(Math.random() * 300) } },
        { name: 'random moment (late)', kill: { after: 'ack', count: 1, delayMs: 600 + Math.floor(Math.random() * 500) } },
        { name: 'mid-upload', env: { CRASH_POINT: 'mid-upload', CRASH_AT: '15' } },
        { name: 'after upload, before the position is saved', env: { CRASH_POINT: 'after-upload', CRASH_AT: '20' } },
        { name: 'during checkpoint', env: { CRASH_POINT: 'during-checkpoint', CRASH_AT: '2' } },
        { name: 'during snapshot', env: { CRASH_POINT: 'during-snapshot', CRASH_AT: '2' } },
    ];

    for (const scenario of scenarios) {
        it(`keeps every acknowledged write: ${scenario.name}`, async () => {
            const dbPath = path.join(dir, 'data', 'main.db');
            fs.mkdirSync(path.dirname(dbPath), { recursive: true });
            const run = await runChild({ CRASH_DB: dbPath, ...replica.env, ...scenario.env }, scenario.kill);
            assert.equal(run.signal, 'SIGKILL', `the child died by SIGKILL (exit ${run.code})`);
            assert.ok(run.acked.length > 0, 'the child acknowledged writes before dying');
            const store = replica.store;

            // Disk wiped: the store alone.
            const wiped = path.join(dir, 'wiped', 'main.db');
            await restoreDatabase({ store, db: 'main', targetPath: wiped });
            const fromStore = ids(wiped);
            const lost = run.acked.filter(id => !fromStore.has(id));
            assert.deepEqual(lost, [], 'acknowledged rows missing from a restore of the store alone');

            // Disk kept: the local database has them, and replicating on from it loses nothing.
            assert.deepEqual(run.acked.filter(id => !ids(dbPath).has(id)), []);
            const replicator = new DatabaseReplicator({ name: 'main', path: dbPath, store, syncIntervalMs: 60_000 });
            await replicator.start();
            await replicator.waitForDurable();
            await replicator.stop();
            const again = path.join(dir, 'again', 'main.db');
            await restoreDatabase({ store, db: 'main', targetPath: again });
            assert.deepEqual([...ids(again)].sort((a, b) => a - b), [...ids(dbPath)].sort((a, b) => a - b));
        });
    }

    it('SIGTERM runs a final sync: every written row is in the store', async () => {
        const dbPath = path.join(dir, 'data', 'main.db');
        fs.mkdirSync(path.dirname(dbPath), { recursive: true });
        const run = await runChild({ CRASH_DB: dbPath, ...replica.env, CRASH_DURABLE: '0', CRASH_SYNC_MS: '60000' }, { after: 'wrote', count: 11, delayMs: 0 }, 'SIGTERM');
        assert.equal(run.code, 0);
        assert.ok(run.wrote.length > 10);
        const restored = path.join(dir, 'restored.db');
        await restoreDatabase({ store: replica.store, db: 'main', targetPath: restored });
        const got = ids(restored);
        assert.deepEqual(run.wrote.filter(id => !got.has(id)), []);
    });
});
