import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from './database-cluster';
import { DatabaseWriteError } from './database-errors';
import { DatabaseNames } from './database-names';
import { databaseMigrations } from './schema';
import { SettingsRepository } from './repositories/settings-repository';

const others = (name: string) => DatabaseNames.filter(n => n !== name).map(n => `db:${n}`);

/** Makes a closed database file with enough rows to span many pages. */
async function populatedDataDir(dataDir: string): Promise<void> {
    const cluster = new DatabaseCluster({ dataDir }).open();
    const sessions = cluster.get('sessions');
    sessions.transaction(tx => {
        tx.run("INSERT INTO sessions (id, started_at) VALUES ('s1', 0)");
        for (let i = 0; i < 2000; i++) {
            tx.run("INSERT INTO timeline_events (session_id, n, kind, data_json, at) VALUES ('s1', ?, 'edit', ?, ?)", i, JSON.stringify({ i, pad: 'x'.repeat(100) }), i);
        }
    });
    new SettingsRepository(cluster.get('workspace')).set('theme', 'dark');
    await cluster.close();
}

describe('DatabaseCluster', () => {
    let root: string;
    let dataDir: string;
    let cluster: DatabaseCluster | undefined;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-'));
        dataDir = path.join(root, 'data');
    });
    afterEach(async () => {
        await cluster?.close();
        cluster = undefined;
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('opens six files in WAL mode with the documented pragmas, and reports them ok', async () => {
        cluster = new DatabaseCluster({ dataDir }).open();
        assert.deepEqual(fs.readdirSync(dataDir).filter(f => f.endsWith('.db')).sort(), DatabaseNames.map(n => `${n}.db`).sort());
        const health = await cluster.health();
        assert.deepEqual(health.map(c => [c.id, c.status]), DatabaseNames.map(n => [`db:${n}`, 'ok']));
        const locks = health.find(c => c.id === 'db:locks')!;
        assert.equal(locks.label, 'locks database');
        assert.equal(locks.metrics?.schemaVersion, databaseMigrations.locks.length);
        assert.equal(locks.metrics?.synchronous, 'NORMAL');
        assert.equal(typeof locks.metrics?.walBytes, 'number');
        assert.equal(locks.metrics?.quickCheck, undefined, 'quick_check only when asked');
        const writer = (cluster.get('sessions') as unknown as { writer: { db: import('better-sqlite3').Database } }).writer.db;
        assert.equal(writer.pragma('journal_mode', { simple: true }), 'wal');
        assert.equal(writer.pragma('wal_autocheckpoint', { simple: true }), 0);
        assert.equal(writer.pragma('foreign_keys', { simple: true }), 1);
        assert.equal(writer.pragma('busy_timeout', { simple: true }), 5000);
        assert.equal(writer.pragma('synchronous', { simple: true }), 1, 'NORMAL for sessions');
    });

    it('runs quick_check on demand and reports it', async () => {
        cluster = new DatabaseCluster({ dataDir }).open();
        const health = await cluster.health({ quickCheck: true });
        assert.deepEqual(health.map(c => c.metrics?.quickCheck), DatabaseNames.map(() => 'ok'));
    });

    it('moves a file with garbage over its header aside, reports it, and keeps serving the other five', async () => {
        await populatedDataDir(dataDir);
        const file = path.join(dataDir, 'sessions.db');
        const original = fs.readFileSync(file);
        const fd = fs.openSync(file, 'r+');
        fs.writeSync(fd, Buffer.from('this is not what SQLite wrote here, not at all'), 0);
        fs.closeSync(fd);
        const damaged = fs.readFileSync(file);

        cluster = new DatabaseCluster({ dataDir }).open();
        const health = await cluster.health();
        const sessions = health.find(c => c.id === 'db:sessions')!;
        assert.equal(sessions.status, 'degraded');
        assert.match(sessions.detail, /sessions\.db was damaged \(file is not a database \(bad header\)\); it was moved aside to .*sessions\.db\.corrupt-\d{4}-\d\d-\d\dT[\d-]+\.\d+Z and a new empty database started\. Restore it from the replica or inspect the moved file\./);
        const movedTo = String(sessions.metrics?.movedAside);
        assert.deepEqual(fs.readFileSync(movedTo), damaged, 'moved, never deleted nor changed');
        assert.equal(damaged.length, original.length);
        assert.deepEqual(health.filter(c => c.status === 'ok').map(c => c.id), others('sessions'));

        assert.equal(cluster.get('sessions').get<{ n: number }>('SELECT count(*) AS n FROM timeline_events')?.n, 0, 'a fresh database at the current schema');
        cluster.get('sessions').run("INSERT INTO sessions (id, started_at) VALUES ('new', 1)");
        assert.equal(new SettingsRepository(cluster.get('workspace')).get('theme'), 'dark', 'the others kept their data');
    });

    it('detects a file truncated mid-page', async () => {
        await populatedDataDir(dataDir);
        const file = path.join(dataDir, 'sessions.db');
        const size = fs.statSync(file).size;
        assert.ok(size > 40_000, `the file spans many pages (${size} bytes)`);
        fs.truncateSync(file, Math.floor(size / 2) + 100);

        cluster = new DatabaseCluster({ dataDir }).open();
        const sessions = (await cluster.health()).find(c => c.id === 'db:sessions')!;
        assert.equal(sessions.status, 'degraded');
        assert.match(sessions.detail, /was damaged \(truncated: \d+ bytes is not a whole number of 4096-byte pages\)/);
        assert.equal(fs.statSync(String(sessions.metrics?.movedAside)).size, Math.floor(size / 2) + 100);
    });

    it('detects a file truncated on a page boundary (header count) and damage inside the b-tree (quick_check)', async () => {
        await populatedDataDir(dataDir);
        const sessionsFile = path.join(dataDir, 'sessions.db');
        fs.truncateSync(sessionsFile, 4096 * 5);
        // Garbage over the b-tree page headers of workspace.db's tables, file header intact.
        const workspaceFile = path.join(dataDir, 'workspace.db');
        const pages = fs.statSync(workspaceFile).size / 4096;
        const fd = fs.openSync(workspaceFile, 'r+');
        for (let page = 1; page < pages; page++) {
            fs.writeSync(fd, Buffer.alloc(16, 0xa5), 0, 16, page * 4096);
        }
        fs.closeSync(fd);

        cluster = new DatabaseCluster({ dataDir }).open();
        const health = await cluster.health();
        assert.match(health.find(c => c.id === 'db:sessions')!.detail, /truncated: the header counts \d+ pages but the file holds 5/);
        const workspace = health.find(c => c.id === 'db:workspace')!;
        assert.equal(workspace.status, 'degraded');
        assert.match(workspace.detail, /workspace\.db was damaged \((quick_check found|database disk image is malformed)/);
        assert.deepEqual(health.filter(c => c.status === 'ok').map(c => c.id), ['db:agents', 'db:tasks', 'db:locks', 'db:metrics']);
    });

    it('reports every database down, naming it, when the data directory is a file; recovers once it is a folder', async () => {
        fs.writeFileSync(dataDir, 'not a folder');
        cluster = new DatabaseCluster({ dataDir, retryDownMs: 0 }).open();
        const health = await cluster.health();
        assert.deepEqual(health.map(c => c.status), DatabaseNames.map(() => 'down'));
        assert.match(health[3].detail, /^The locks database is unavailable: its folder .*data cannot be created: a part of .*data is a file, not a folder; point the data directory at a folder\.$/);
        assert.throws(() => cluster!.get('tasks'), /The tasks database is unavailable/);

        fs.rmSync(dataDir);
        assert.deepEqual((await cluster.health()).map(c => c.status), DatabaseNames.map(() => 'ok'), 'tried again and opened');
        cluster.get('tasks').run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES ('a', '{}', 0)");
    });

    it('reports a data directory below a regular file (ENOTDIR) clearly', async () => {
        fs.writeFileSync(path.join(root, 'plain-file'), '');
        cluster = new DatabaseCluster({ dataDir: path.join(root, 'plain-file', 'data') }).open();
        const health = await cluster.health();
        assert.deepEqual(health.map(c => c.status), DatabaseNames.map(() => 'down'));
        assert.match(health[0].detail, /The workspace database is unavailable: its folder .*plain-file\/data cannot be created: a part of .* is a file, not a folder/);
    });

    it('turns a full disk into an error naming the database, and keeps the database usable', () => {
        cluster = new DatabaseCluster({ dataDir }).open();
        const metrics = cluster.get('metrics');
        // A size cap is how SQLite's own tests make SQLITE_FULL without filling a real disk.
        const pages = metrics.get<{ page_count: number }>('PRAGMA page_count')!.page_count;
        metrics.run(`PRAGMA max_page_count = ${pages + 2}`);
        assert.throws(() => metrics.transaction(tx => {
            for (let i = 0; i < 1000; i++) {
                tx.run("INSERT INTO latency_samples (operation, millis, at) VALUES (?, 1.0, 0)", 'x'.repeat(500));
            }
        }), (error: unknown) => {
            assert.ok(error instanceof DatabaseWriteError);
            assert.equal(error.message, 'The metrics database could not be written: the disk is full (or the database reached its size limit); free some space, then retry.');
            return true;
        });
        assert.equal(metrics.get<{ n: number }>('SELECT count(*) AS n FROM latency_samples')?.n, 0, 'rolled back whole');
        metrics.run('INSERT INTO latency_samples (operation, millis, at) VALUES (?, 1.0, 0)', 'small');
    });

    it('gets nothing from a closed cluster, with a clear error', async () => {
        cluster = new DatabaseCluster({ dataDir }).open();
        const locks = cluster.get('locks');
        await cluster.close();
        assert.throws(() => locks.get('SELECT 1'), /The locks database is unavailable: it has been closed/);
        assert.throws(() => cluster!.get('locks'), /the cluster has been closed/);
    });
});
