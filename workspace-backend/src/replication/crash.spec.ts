import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import { DatabaseReplicator } from './database-replicator';
import { restoreDatabase } from './restore';

const child = path.join(__dirname, 'test-support', 'crash-child.js');

interface Run {
    acked: number[];
    wrote: number[];
    code: number | null;
    signal: NodeJS.Signals | null;
}

/**
 * When to signal the child: `delayMs` after its `count`-th message of kind `after`, so start-up time
 * (long on a loaded machine) never decides whether the child got anything done first.
 */
interface KillTrigger {
    readonly after: 'ack' | 'wrote';
    readonly count: number;
    readonly delayMs: number;
}

function runChild(env: Record<string, string>, trigger?: KillTrigger, signal: NodeJS.Signals = 'SIGKILL'): Promise<Run> {
    return new Promise((resolve, reject) => {
        const proc = fork(child, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        const run: Run = { acked: [], wrote: [], code: null, signal: null };
        let armed = false;
        proc.on('message', (m: { ack?: number; wrote?: number }) => {
            if (m.ack !== undefined) run.acked.push(m.ack);
            if (m.wrote !== undefined) run.wrote.push(m.wrote);
            if (trigger && !armed && (trigger.after === 'ack' ? run.acked : run.wrote).length >= trigger.count) {
                armed = true;
                setTimeout(() => proc.kill(signal), trigger.delayMs);
            }
        });
        const guard = setTimeout(() => proc.kill('SIGKILL'), 40_000);
        proc.on('error', reject);
        proc.on('exit', (code, sig) => {
            clearTimeout(guard);
            run.code = code;
            run.signal = sig;
            resolve(run);
        });
    });
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
 * restoring from the store alone (disk wiped) and from the kept disk plus the store.
 */
describe('crash safety (child process, SIGKILL, IPC acknowledgements)', function () {
    this.timeout(60_000);
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

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
            const storeDir = path.join(dir, 'replica');
            const run = await runChild({ CRASH_DB: dbPath, CRASH_STORE: storeDir, ...scenario.env }, scenario.kill);
            assert.equal(run.signal, 'SIGKILL', `the child died by SIGKILL (exit ${run.code})`);
            assert.ok(run.acked.length > 0, 'the child acknowledged writes before dying');
            const store = new DirectoryObjectStore(storeDir);

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
        const storeDir = path.join(dir, 'replica');
        const run = await runChild({ CRASH_DB: dbPath, CRASH_STORE: storeDir, CRASH_DURABLE: '0', CRASH_SYNC_MS: '60000' }, { after: 'wrote', count: 11, delayMs: 0 }, 'SIGTERM');
        assert.equal(run.code, 0);
        assert.ok(run.wrote.length > 10);
        const restored = path.join(dir, 'restored.db');
        await restoreDatabase({ store: new DirectoryObjectStore(storeDir), db: 'main', targetPath: restored });
        const got = ids(restored);
        assert.deepEqual(run.wrote.filter(id => !got.has(id)), []);
    });
});
