import * as assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './test-support/run-cli';
import { DatabaseName, DatabaseNames, databaseFileName } from '../database/database-names';
import { FileSync } from '../file-sync/file-sync';
import { listGenerations, segmentKey } from '../replication/generation';
import { restoreToRestorePoint } from '../replication/point-restore';
import { ReplicationManager } from '../replication/replication-manager';
import { listRestorePoints, parseRestorePoint, pointTime, RestorePoint } from '../replication/restore-point';
import { applyRetention } from '../replication/retention';
import { makeReplicaStore, ReplicaStoreFixture, ReplicaStoreKind } from '../replication/test-support/replica-store-fixtures';

/** What the workspace holds at one restore point: every database's rows and every file. */
interface Expected {
    at: string;
    point: RestorePoint;
    rows: Record<string, string[]>;
    files: Record<string, string>;
}

function rowsOf(file: string): string[] {
    const db = new Database(file, { readonly: true });
    try {
        return (db.prepare('SELECT v FROM t ORDER BY rowid').all() as { v: string }[]).map(r => r.v);
    } finally {
        db.close();
    }
}

function filesOf(dir: string, rel = ''): Record<string, string> {
    const out: Record<string, string> = {};
    for (const entry of fs.existsSync(path.join(dir, rel)) ? fs.readdirSync(path.join(dir, rel), { withFileTypes: true }) : []) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
            Object.assign(out, filesOf(dir, child));
        } else {
            out[child] = fs.readFileSync(path.join(dir, child), 'utf8');
        }
    }
    return out;
}

for (const kind of ['directory', 'gcs'] as ReplicaStoreKind[]) {
    describe(`restore points: one instant of the whole workspace (${kind} store)`, function () {
        this.timeout(180_000);
        let root: string;
        let dataDir: string;
        let workspace: string;
        let replica: ReplicaStoreFixture;
        const databases = () => DatabaseNames.map(name => ({ name, path: path.join(dataDir, databaseFileName(name)) }));

        beforeEach(async () => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-point-'));
            dataDir = path.join(root, 'data');
            workspace = path.join(root, 'ws');
            fs.mkdirSync(dataDir);
            fs.mkdirSync(workspace);
            replica = await makeReplicaStore(kind, root);
        });
        afterEach(async () => {
            await replica.dispose();
            fs.rmSync(root, { recursive: true, force: true });
        });

        /**
         * Three rounds of writes to several databases and files, each followed by one sync and a
         * restore point; returns the state at each point, taken from the live databases and folder.
         */
        async function writeHistory(): Promise<Expected[]> {
            const conns = new Map<string, Database.Database>(databases().map(db => {
                const conn = new Database(db.path);
                conn.pragma('journal_mode = WAL');
                conn.pragma('wal_autocheckpoint = 0');
                conn.exec('CREATE TABLE t (v TEXT)');
                return [db.name, conn];
            }));
            const manager = new ReplicationManager({ store: replica.store, databases: databases(), syncIntervalMs: 3_600_000, restorePointsAwaitFiles: true });
            const fileSync = new FileSync({ store: replica.store, workspaceDir: workspace, dataDir, watch: false });
            const expected: Expected[] = [];
            try {
                await manager.start();
                await fileSync.start();
                manager.attachRestorePointFiles(() => fileSync.publishManifest());
                const rounds: [string[], Record<string, string | undefined>][] = [
                    [['workspace', 'tasks', 'metrics'], { 'a.txt': 'a0', 'src/b.ts': 'b0' }],
                    [['tasks', 'agents', 'locks'], { 'a.txt': 'a1', 'c.md': 'c1' }],
                    [['tasks', 'sessions', 'workspace'], { 'src/b.ts': undefined, 'c.md': 'c2', 'd/e.txt': 'e2' }],
                ];
                for (const [round, [dbs, files]] of rounds.entries()) {
                    for (const name of dbs) {
                        conns.get(name)!.prepare('INSERT INTO t VALUES (?)').run(`${name} round ${round}`);
                    }
                    for (const [rel, content] of Object.entries(files)) {
                        const file = path.join(workspace, rel);
                        if (content === undefined) {
                            fs.rmSync(file);
                        } else {
                            fs.mkdirSync(path.dirname(file), { recursive: true });
                            fs.writeFileSync(file, content);
                        }
                    }
                    await fileSync.syncNow();
                    for (const db of databases()) {
                        await manager.replicator(db.name)!.sync();
                    }
                    const key = (await manager.writeRestorePoint())!;
                    expected.push({
                        at: pointTime(key)!.toISOString(),
                        point: parseRestorePoint(await replica.store.get(key), key),
                        rows: Object.fromEntries(databases().map(db => [db.name, (conns.get(db.name)!.prepare('SELECT v FROM t ORDER BY rowid').all() as { v: string }[]).map(r => r.v)])),
                        files: filesOf(workspace),
                    });
                }
            } finally {
                await fileSync.stop();
                await manager.stop();
                conns.forEach(c => c.close());
                await manager.sealLocalState();
            }
            return expected;
        }

        function assertState(state: Expected, output: string): void {
            for (const db of databases()) {
                assert.deepEqual(rowsOf(db.path), state.rows[db.name], `${db.name} as at ${state.at}\n${output}`);
            }
            assert.deepEqual(filesOf(workspace), state.files, `the workspace files as at ${state.at}\n${output}`);
        }

        function wipe(): void {
            fs.rmSync(dataDir, { recursive: true, force: true });
            fs.rmSync(workspace, { recursive: true, force: true });
        }

        it('restores the newest point and an earlier --timestamp: all six databases and the files at that instant; a point missing a segment is skipped for the previous one', async () => {
            const history = await writeHistory();
            const env = { ...replica.env, STUDIO_DATA_DIR: dataDir };
            assert.equal(new Set(history.map(h => h.at)).size, 3, 'three distinct points');

            wipe();
            const latest = await runCli(['restore', '--workspace', workspace], env);
            assert.equal(latest.code, 0, latest.stderr + latest.stdout);
            assertState(history[2], latest.stdout);
            assert.match(latest.stdout, new RegExp(`^restore point ${history[2].at} `, 'm'));

            // An earlier instant over a live workspace: the databases and files go back, the
            // later files are removed, and the replaced databases are kept aside.
            const middle = await runCli(['restore', '--workspace', workspace, '--timestamp', history[1].at], env);
            assert.equal(middle.code, 0, middle.stderr + middle.stdout);
            assertState(history[1], middle.stdout);
            assert.ok(fs.readdirSync(dataDir).some(f => f.startsWith('tasks.db.before-restore-')), 'the replaced database is kept aside');

            // Later points stay restorable after going back.
            wipe();
            const again = await runCli(['restore', '--workspace', workspace, '--timestamp', history[2].at], env);
            assert.equal(again.code, 0, again.stderr + again.stdout);
            assertState(history[2], again.stdout);

            // Delete a segment the newest original point needs and the one before does not.
            const name = Object.keys(history[2].point.databases).find(db =>
                history[2].point.databases[db].sequence > 0 && history[2].point.databases[db].generation === history[1].point.databases[db].generation
                && history[2].point.databases[db].sequence > history[1].point.databases[db].sequence)!;
            assert.ok(name, 'a database advanced between the last two points');
            const { generation, sequence } = history[2].point.databases[name];
            await replica.store.delete(segmentKey(name, generation, sequence));
            wipe();
            const skipped = await runCli(['restore', '--workspace', workspace, '--timestamp', history[2].at], env);
            assert.equal(skipped.code, 0, skipped.stderr + skipped.stdout);
            assert.match(skipped.stdout, new RegExp(`^warning: skipped restore point ${history[2].at} .*${name}: .*segment ${sequence - 1}.*needs segment ${sequence}`, 'm'));
            assertState(history[1], skipped.stdout);

            const first = await runCli(['restore', '--workspace', workspace, '--timestamp', history[0].at], env);
            assert.equal(first.code, 0, first.stderr + first.stdout);
            assertState(history[0], first.stdout);

            const tooOld = await runCli(['restore', '--timestamp', '2001-01-01T00:00:00Z'], env);
            assert.equal(tooOld.code, 1, tooOld.stdout);
            const [oldest] = await listRestorePoints(replica.store);
            assert.match(tooOld.stderr, new RegExp(`No restore point at or before 2001-01-01T00:00:00.000Z .*the oldest kept is ${oldest.at.toISOString()}`));
        });

        it('a start with every database lost comes back to the newest point, all six together, not to each chain\'s end', async () => {
            const history = await writeHistory();
            const manager = new ReplicationManager({ store: replica.store, databases: databases(), syncIntervalMs: 3_600_000, restorePointIntervalMs: 3_600_000 });
            const tasks = new Database(databases().find(db => db.name === 'tasks')!.path);
            try {
                await manager.start();
                await manager.writeRestorePoint();
                // A commit the chain holds but no point names (async mode, between two points).
                tasks.prepare('INSERT INTO t VALUES (?)').run('after the last point');
                await manager.replicator('tasks')!.sync();

                const restoreInto = async (dir: string) => {
                    const lines: string[] = [];
                    const fresh = new ReplicationManager({
                        store: replica.store, databases: DatabaseNames.map(name => ({ name, path: path.join(dir, databaseFileName(name)) })), log: line => lines.push(line),
                    });
                    fs.mkdirSync(dir, { recursive: true });
                    await fresh.restoreIfNeeded();
                    return { status: fresh.status(), log: lines.join('\n'), rows: (name: DatabaseName) => rowsOf(path.join(dir, databaseFileName(name))) };
                };
                const lost = await restoreInto(path.join(root, 'new-pod'));
                assert.equal(lost.status.restoredAtStart?.to, 'restore point', lost.log);
                for (const name of DatabaseNames) {
                    assert.deepEqual(lost.rows(name), history[2].rows[name], `${name} as at the newest point\n${lost.log}`);
                }
                assert.match(lost.log, /commits after that point, never acknowledged as durable.*tasks: 1 segment/);

                // A replica without points (written before they existed): each chain to its end, said so.
                for (const point of await listRestorePoints(replica.store)) {
                    await replica.store.delete(point.key);
                }
                const old = await restoreInto(path.join(root, 'old-replica'));
                assert.deepEqual(old.status.restoredAtStart, { to: 'newest chains', databases: [...DatabaseNames] });
                assert.deepEqual(old.rows('tasks'), [...history[2].rows.tasks, 'after the last point']);
                assert.match(old.log, /No restore points in .* Restoring each database to its own newest chain/);
            } finally {
                tasks.close();
                await manager.stop();
            }
        });

        it('retention drops old points and generations but never what a kept point names', async () => {
            await writeHistory();
            const manager = new ReplicationManager({ store: replica.store, databases: databases(), syncIntervalMs: 3_600_000 });
            await manager.start();
            try {
                for (let i = 0; i < 2; i++) {
                    await manager.snapshot();
                }
            } finally {
                await manager.stop();
            }
            const points = await listRestorePoints(replica.store);
            assert.ok(points.length >= 4, `points: ${points.length}`);
            const policy = { keepDays: 7, keepGenerations: 1 };
            await applyRetention(replica.store, DatabaseNames, policy);
            assert.equal((await listRestorePoints(replica.store)).length, points.length, 'every point within the window is kept');
            for (const point of points) {
                const result = await restoreToRestorePoint({ store: replica.store, databases: databases().map(db => ({ ...db, path: path.join(root, 'check', path.basename(db.path)) })), at: point.at });
                assert.deepEqual(result.skipped, [], `the point of ${point.at.toISOString()} is whole after retention`);
            }
            // A month later only the newest point is kept, and the generations before it go.
            const later = await applyRetention(replica.store, DatabaseNames, { ...policy, now: new Date(Date.now() + 30 * 24 * 3_600_000) });
            assert.equal(later.pointsKept, 1);
            assert.ok(Object.keys(later.generationsDeleted).length > 0, 'older generations were deleted');
            const [newest] = await listRestorePoints(replica.store);
            const named = parseRestorePoint(await replica.store.get(newest.key), newest.key);
            for (const db of DatabaseNames) {
                assert.deepEqual((await listGenerations(replica.store, db)).map(g => g.generation), [named.databases[db].generation]);
            }
            const result = await restoreToRestorePoint({ store: replica.store, databases: databases().map(db => ({ ...db, path: path.join(root, 'check2', path.basename(db.path)) })) });
            assert.equal(result.point.key, newest.key);
            assert.deepEqual(result.skipped, []);
        });
    });
}
