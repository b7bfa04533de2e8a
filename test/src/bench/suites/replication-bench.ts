import Database from 'better-sqlite3';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GcsTestServer } from '@coditect/gcs-test-server';
import { DatabaseReplicator, DirectoryObjectStore, GcsObjectStore, ObjectStore, restoreDatabase } from '@coditect/workspace-backend';
import { BenchFigures, BenchSuite } from '../bench-suite';
import { percentile, round } from '../bench-stats';

const commitsPerSecond = 100;
const lagSeconds = Number(process.env.BENCH_REPLICATION_LAG_S ?? 10);
const durableIterations = Number(process.env.BENCH_REPLICATION_DURABLE ?? 300);
const restoreMegabytes = Number(process.env.BENCH_REPLICATION_RESTORE_MB ?? 100);
/** The studio's default (STUDIO_SYNC_INTERVAL_MS): lag is bounded by it plus one upload. */
const syncIntervalMs = 1000;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** An application connection with the pragmas the cluster uses for a NORMAL database. */
function openApp(file: string): Database.Database {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.exec('CREATE TABLE IF NOT EXISTS samples (id INTEGER PRIMARY KEY, at INTEGER, payload TEXT)');
    return db;
}

/**
 * Replication lag: commits paced at 100/s; a commit is replicated when a sync that started after
 * it finishes (that sync read it from the WAL). Lag = that finish minus the commit time.
 */
async function measureLag(store: ObjectStore, dir: string): Promise<{ p50: number; p99: number; commits: number }> {
    const file = path.join(dir, 'lag.db');
    const app = openApp(file);
    const replicator = new DatabaseReplicator({ name: 'metrics', path: file, store, syncIntervalMs });
    const syncs: { startedAt: number; finishedAt: number }[] = [];
    replicator.onSynced((startedAt, finishedAt) => syncs.push({ startedAt, finishedAt }));
    await replicator.start();
    await replicator.waitForDurable();
    const insert = app.prepare('INSERT INTO samples (at, payload) VALUES (?, ?)');
    const commits: number[] = [];
    const start = Date.now();
    for (let i = 0; i < lagSeconds * commitsPerSecond; i++) {
        const due = start + (i * 1000) / commitsPerSecond;
        if (due > Date.now()) {
            await sleep(due - Date.now());
        }
        insert.run(Date.now(), crypto.randomBytes(100).toString('hex'));
        commits.push(Date.now());
    }
    await replicator.waitForDurable();
    await replicator.stop();
    app.close();
    const lags = commits.map(at => {
        const sync = syncs.find(s => s.startedAt >= at);
        if (!sync) {
            throw new Error('a commit was never covered by a sync');
        }
        return sync.finishedAt - at;
    });
    return { p50: percentile(lags, 50), p99: percentile(lags, 99), commits: commits.length };
}

/** Plain commit vs commit + waitForDurable (group commit: one upload), alternating. */
async function measureDurable(store: ObjectStore, dir: string): Promise<{ plainP99: number; durableP99: number; durableP50: number }> {
    const file = path.join(dir, 'durable.db');
    const app = openApp(file);
    const replicator = new DatabaseReplicator({ name: 'tasks', path: file, store, syncIntervalMs });
    await replicator.start();
    await replicator.waitForDurable();
    const insert = app.prepare('INSERT INTO samples (at, payload) VALUES (?, ?)');
    const plain: number[] = [];
    const durable: number[] = [];
    for (let i = 0; i < durableIterations; i++) {
        let t = performance.now();
        insert.run(Date.now(), 'plain');
        plain.push(performance.now() - t);
        t = performance.now();
        insert.run(Date.now(), 'durable');
        await replicator.waitForDurable();
        durable.push(performance.now() - t);
    }
    await replicator.stop();
    app.close();
    return { plainP99: percentile(plain, 99), durableP99: percentile(durable, 99), durableP50: percentile(durable, 50) };
}

/** Builds a ~N MB database, ships its snapshot, and times a full restore (and a plain copy). */
async function measureRestore(store: ObjectStore, dir: string, log: (m: string) => void): Promise<{ seconds: number; copySeconds: number; bytes: number }> {
    const file = path.join(dir, 'big.db');
    const app = openApp(file);
    const insert = app.prepare('INSERT INTO samples (at, payload) VALUES (?, ?)');
    const rows = restoreMegabytes * 256; // ~4 KiB per row
    app.transaction(() => { for (let i = 0; i < rows; i++) insert.run(i, crypto.randomBytes(2000).toString('hex')); })();
    app.pragma('wal_checkpoint(TRUNCATE)');
    const replicator = new DatabaseReplicator({ name: 'sessions', path: file, store, syncIntervalMs: 60_000 });
    await replicator.start();
    await replicator.waitForDurable();
    for (let i = 0; i < 20; i++) {
        insert.run(i, 'after the snapshot');
        await replicator.waitForDurable();
    }
    await replicator.stop();
    app.close();
    const bytes = fs.statSync(file).size;
    log(`  database ${(bytes / 1e6).toFixed(0)} MB shipped; restoring`);
    const target = path.join(dir, 'restored', 'big.db');
    let t = performance.now();
    const result = await restoreDatabase({ store, db: 'sessions', targetPath: target });
    const seconds = (performance.now() - t) / 1000;
    if (result.segments < 20) {
        throw new Error(`restore applied ${result.segments} segments, expected 20`);
    }
    t = performance.now();
    fs.copyFileSync(file, path.join(dir, 'copy.db'));
    const copySeconds = (performance.now() - t) / 1000;
    return { seconds, copySeconds, bytes };
}

async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-repl-'));
    try {
        return await fn(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

async function withGcs<T>(fn: (store: ObjectStore) => Promise<T>): Promise<T> {
    const server = new GcsTestServer();
    const { url } = await server.start();
    try {
        return await fn(new GcsObjectStore({ bucket: 'bench', prefix: 'replica', apiEndpoint: url }));
    } finally {
        await server.stop();
    }
}

export const replicationBench: BenchSuite = {
    description: `replication: lag at ${commitsPerSecond} commits/s for ${lagSeconds} s (sync every ${syncIntervalMs} ms) to a directory and to the GCS test server, durable vs plain commit p99 (${durableIterations} each), restore of a ~${restoreMegabytes} MB database`,
    async run(log): Promise<BenchFigures> {
        const dirLag = await inTempDir(dir => measureLag(new DirectoryObjectStore(path.join(dir, 'replica')), dir));
        log(`lag to a directory: p50 ${dirLag.p50} ms, p99 ${dirLag.p99} ms over ${dirLag.commits} commits`);
        const gcsLag = await inTempDir(dir => withGcs(store => measureLag(store, dir)));
        log(`lag to the GCS test server: p50 ${gcsLag.p50} ms, p99 ${gcsLag.p99} ms`);
        const durable = await inTempDir(dir => measureDurable(new DirectoryObjectStore(path.join(dir, 'replica')), dir));
        log(`durable write (directory) p50 ${durable.durableP50.toFixed(2)} ms, p99 ${durable.durableP99.toFixed(2)} ms; plain commit p99 ${durable.plainP99.toFixed(3)} ms`);
        const durableGcs = await inTempDir(dir => withGcs(store => measureDurable(store, dir)));
        log(`durable write (GCS test server) p99 ${durableGcs.durableP99.toFixed(2)} ms`);
        const restore = await inTempDir(dir => measureRestore(new DirectoryObjectStore(path.join(dir, 'replica')), dir, log));
        log(`restore of ${(restore.bytes / 1e6).toFixed(0)} MB from a directory: ${restore.seconds.toFixed(2)} s (plain file copy ${restore.copySeconds.toFixed(2)} s)`);
        const restoreGcs = await inTempDir(dir => withGcs(store => measureRestore(store, dir, log)));
        log(`restore from the GCS test server: ${restoreGcs.seconds.toFixed(2)} s`);
        return {
            sync_interval_ms: syncIntervalMs,
            commits_per_s: commitsPerSecond,
            lag_p50_ms: dirLag.p50,
            lag_p99_ms: dirLag.p99,
            lag_gcs_p50_ms: gcsLag.p50,
            lag_gcs_p99_ms: gcsLag.p99,
            plain_commit_p99_ms: round(durable.plainP99, 4),
            durable_write_p50_ms: round(durable.durableP50, 3),
            durable_write_p99_ms: round(durable.durableP99, 3),
            durable_over_plain_p99: round(durable.durableP99 / durable.plainP99, 1),
            durable_write_gcs_p99_ms: round(durableGcs.durableP99, 3),
            restore_db_mb: round(restore.bytes / 1e6, 1),
            restore_100mb_s: round(restore.seconds, 2),
            restore_gcs_100mb_s: round(restoreGcs.seconds, 2),
            file_copy_100mb_s: round(restore.copySeconds, 3),
        };
    },
};
