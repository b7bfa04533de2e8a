import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GcsTestServer } from '@coditect/gcs-test-server';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import { GcsObjectStore } from '../object-store/gcs-object-store';
import { DatabaseReplicator } from '../replication/database-replicator';
import { listGenerations } from '../replication/generation';
import { ReplicaLease } from '../replication/lease';
import { runCli } from './test-support/run-cli';

// The CLI runs as a child process, asynchronously (an in-process GCS test server must keep answering).

const count = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
        return (db.prepare('SELECT count(*) AS n FROM probe').get() as { n: number }).n;
    } finally {
        db.close();
    }
};

describe('coditect-workspace snapshot / restore / verify (child process, directory replica)', function () {
    this.timeout(60_000);
    let root: string;
    let dataDir: string;
    let replicaDir: string;
    let env: Record<string, string>;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-replica-'));
        dataDir = path.join(root, 'data');
        replicaDir = path.join(root, 'replica');
        env = { STUDIO_DATA_DIR: dataDir };
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    /** A studio run (status) replicates all six databases; then metrics gets rows and a CLI snapshot. */
    async function populate(rows = 300): Promise<void> {
        const status = await runCli(['status', '--workspace', path.join(root, 'ws')], env);
        assert.equal(status.code, 0, status.stderr + status.stdout);
        const db = new Database(path.join(dataDir, 'metrics.db'));
        db.exec('CREATE TABLE probe (id INTEGER PRIMARY KEY, v TEXT)');
        const insert = db.prepare('INSERT INTO probe (v) VALUES (?)');
        db.transaction(() => { for (let i = 0; i < rows; i++) insert.run(`row ${i} ${'x'.repeat(200)}`); })();
        db.close();
        const snapshot = await runCli(['snapshot', '--db', 'metrics'], env);
        assert.equal(snapshot.code, 0, snapshot.stderr);
        assert.match(snapshot.stdout, /^metrics: generation \S+, snapshot [\d.]+ KiB -> directory .*replica metrics\/\S+\/0000000000\.snapshot$/m);
    }

    it('snapshot, verify, and restore into a wiped data directory with progress lines', async () => {
        await populate();
        const all = await runCli(['snapshot'], env);
        assert.equal(all.code, 0, all.stderr);
        assert.equal(all.stdout.match(/: generation /g)?.length, 6);

        const verify = await runCli(['verify'], env);
        assert.equal(verify.code, 0, verify.stdout + verify.stderr);
        assert.equal(verify.stdout.match(/^OK {3}\w+: generation .*integrity_check ok$/gm)?.length, 6);

        fs.rmSync(dataDir, { recursive: true, force: true });
        const restore = await runCli(['restore'], env);
        assert.equal(restore.code, 0, restore.stderr);
        assert.match(restore.stdout, /^metrics: snapshot, 0\/\d+ segments, 0 B$/m);
        assert.match(restore.stdout, /^metrics: done, \d+\/\d+ segments, [\d.]+ KiB$/m);
        assert.match(restore.stdout, /^metrics: restored generation \S+, \d+ segments, [\d.]+ KiB read, \d+ pages -> .*metrics\.db$/m);
        assert.equal(count(path.join(dataDir, 'metrics.db')), 300);
        assert.equal(fs.readdirSync(dataDir).filter(f => f.endsWith('.db')).length, 6);
    });

    it('moves an existing database aside before restoring over it', async () => {
        await populate(10);
        const restore = await runCli(['restore', '--db', 'metrics'], env);
        assert.equal(restore.code, 0, restore.stderr);
        const [aside] = fs.readdirSync(dataDir).filter(f => f.startsWith('metrics.db.before-restore-') && !f.includes('-wal') && !f.endsWith('.json'));
        assert.ok(aside, restore.stdout);
        assert.equal(count(path.join(dataDir, aside)), 10);
        assert.equal(count(path.join(dataDir, 'metrics.db')), 10);
    });

    it('refuses restore and snapshot while a studio holds the replica lease; --force overrides restore', async () => {
        await populate(5);
        const studio = new ReplicaLease(new DirectoryObjectStore(replicaDir), { owner: 'studio-on-host-a', ttlMs: 30_000 });
        await studio.acquire();
        const refused = await runCli(['restore'], env);
        assert.equal(refused.code, 3);
        assert.match(refused.stderr, /Refusing to restore into .*: a studio appears to be running against directory .*held by studio-on-host-a .*renewed \d+ s ago.*Stop the studio .*--force/);
        const snapshot = await runCli(['snapshot'], env);
        assert.equal(snapshot.code, 3);
        assert.match(snapshot.stderr, /Refusing to snapshot: .*leased by studio-on-host-a.*stop it/);
        const forced = await runCli(['restore', '--force', '--db', 'metrics'], env);
        assert.equal(forced.code, 0, forced.stderr);
        assert.match(forced.stdout, /^warning: its replication lease is held by studio-on-host-a.*restoring anyway \(--force\)$/m);
    });

    it('rejects bad input with clear messages and exit codes', async () => {
        const unknownDb = await runCli(['restore', '--db', 'metric'], env);
        assert.equal(unknownDb.code, 2);
        assert.match(unknownDb.stderr, /Unknown database "metric"; the databases are workspace, agents, tasks, locks, sessions, metrics\./);
        const badOption = await runCli(['verify', '--frobnicate'], env);
        assert.equal(badOption.code, 2);
        assert.match(badOption.stderr, /Unknown option '--frobnicate'/);
        const missing = await runCli(['verify'], { ...env, STUDIO_REPLICA_URL: `file://${root}/nowhere` });
        assert.equal(missing.code, 1);
        assert.match(missing.stderr, /No replica at .*nowhere \(the directory does not exist\); check --replica \/ STUDIO_REPLICA_URL/);
        const off = await runCli(['restore'], { ...env, STUDIO_REPLICA_URL: 'off' });
        assert.equal(off.code, 2);
        assert.match(off.stderr, /Replication is off/);
        fs.mkdirSync(replicaDir);
        const empty = await runCli(['restore', '--db', 'metrics'], env);
        assert.equal(empty.code, 1);
        assert.match(empty.stderr, /metrics: not restored: No replica of metrics in directory .*replica/);
        const emptyVerify = await runCli(['verify', '--db', 'tasks'], env);
        assert.equal(emptyVerify.code, 1);
        assert.match(emptyVerify.stdout, /^FAIL tasks: no replica of tasks in directory/m);
        const help = await runCli(['snapshot', '--help']);
        assert.equal(help.code, 0);
        for (const variable of ['STUDIO_DATA_DIR', 'STUDIO_REPLICA_URL', 'STUDIO_GCS_API_ENDPOINT']) {
            assert.match(help.stdout, new RegExp(variable));
        }
    });

    it('verify fails with the reason when the newest chain is damaged', async () => {
        await populate(50);
        const db = new Database(path.join(dataDir, 'metrics.db'));
        db.pragma('journal_mode = WAL');
        db.pragma('wal_autocheckpoint = 0');
        const store = new DirectoryObjectStore(replicaDir);
        const replicator = new DatabaseReplicator({ name: 'metrics', path: path.join(dataDir, 'metrics.db'), store, syncIntervalMs: 60_000 });
        await replicator.start();
        for (let i = 0; i < 3; i++) {
            db.prepare('INSERT INTO probe (v) VALUES (?)').run(`more ${i}`);
            await replicator.waitForDurable();
        }
        await replicator.stop();
        db.close();
        const newest = (await listGenerations(store, 'metrics')).pop()!;
        assert.ok(newest.segments.length >= 2);
        const file = path.join(replicaDir, ...newest.segments[1].info.key.split('/'));
        const bytes = fs.readFileSync(file);
        bytes[bytes.length - 10] ^= 0xff;
        fs.writeFileSync(file, bytes);
        const verify = await runCli(['verify', '--db', 'metrics'], env);
        assert.equal(verify.code, 1);
        assert.match(verify.stdout, new RegExp(`^FAIL metrics: generation ${newest.generation} restores only to segment 1 of ${newest.segments.length}: segment 2 is unreadable \\(.*CRC32C mismatch`, 'm'));
        assert.match(verify.stderr, /Verification failed for metrics/);
    });
});

describe('coditect-workspace verify against the GCS test server', function () {
    this.timeout(30_000);
    let server: GcsTestServer;
    let url: string;
    let dir: string;
    beforeEach(async () => {
        server = new GcsTestServer();
        ({ url } = await server.start());
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-gcs-'));
    });
    afterEach(async () => {
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('verifies a gs:// replica through STUDIO_GCS_API_ENDPOINT, and names a damaged snapshot', async () => {
        const dbPath = path.join(dir, 'sessions.db');
        const db = new Database(dbPath);
        db.pragma('journal_mode = WAL');
        db.pragma('wal_autocheckpoint = 0');
        db.exec('CREATE TABLE probe (id INTEGER PRIMARY KEY, v TEXT)');
        const store = new GcsObjectStore({ bucket: 'replica', prefix: 'ws/1', apiEndpoint: url });
        const replicator = new DatabaseReplicator({ name: 'sessions', path: dbPath, store, syncIntervalMs: 60_000 });
        await replicator.start();
        await replicator.waitForDurable();
        db.prepare('INSERT INTO probe (v) VALUES (?)').run('one');
        await replicator.waitForDurable();
        await replicator.stop();
        db.close();
        const env = { STUDIO_DATA_DIR: path.join(dir, 'data'), STUDIO_REPLICA_URL: 'gs://replica/ws/1', STUDIO_GCS_API_ENDPOINT: url };
        const ok = await runCli(['verify', '--db', 'sessions'], env);
        assert.equal(ok.code, 0, ok.stdout + ok.stderr);
        assert.match(ok.stdout, /^OK {3}sessions: generation \S+, snapshot \+ 1 segments, .*integrity_check ok$/m);

        const snapshot = (await listGenerations(store, 'sessions')).pop()!.snapshot!;
        server.putObject('replica', `ws/1/${snapshot.key}`, Buffer.from('not a snapshot'));
        const bad = await runCli(['verify', '--db', 'sessions'], env);
        assert.equal(bad.code, 1);
        assert.match(bad.stdout, /^FAIL sessions: generation \S+: snapshot unreadable \(Not a replica snapshot/m);
    });
});
