import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceHealth } from '../health/workspace-health';
import { SettingsRepository } from '../database/repositories/settings-repository';
import { databaseMigrations } from '../database/schema';
import { WorkspaceCore } from './workspace-core';

/**
 * Start-up goes on settling after start() resolves (the timeline writes its first events, the
 * replicator counts them as pending): probe until two reports in a row agree.
 */
async function settledHealth(core: WorkspaceCore): Promise<WorkspaceHealth> {
    let previous = JSON.stringify(await core.refreshHealth());
    for (let attempt = 0; attempt < 50; attempt++) {
        await new Promise(resolve => setTimeout(resolve, 100));
        const current = JSON.stringify(await core.refreshHealth());
        if (current === previous) {
            return JSON.parse(current);
        }
        previous = current;
    }
    throw new Error('health never settled after start: something keeps changing with nothing going on');
}

describe('WorkspaceCore', () => {
    let root: string;
    let core: WorkspaceCore;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'core-'));
        fs.mkdirSync(path.join(root, 'ws'));
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') });
    });
    afterEach(async () => {
        await core.stop();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('is starting before start(), and ok after, creating its data directory', async () => {
        assert.equal((await core.refreshHealth()).status, 'starting');
        await core.start();
        const health = await core.health();
        assert.equal(health.status, 'ok');
        assert.ok(fs.statSync(path.join(root, 'data')).isDirectory());
        assert.deepEqual(health.components.map(c => c.id).slice(0, 2), ['workspace-folder', 'data-directory']);
    });

    it('start() is idempotent', async () => {
        const first = core.start();
        assert.equal(core.start(), first);
        await first;
    });

    it('tells listeners when health changes, and only then', async () => {
        // Replication's lag is a live figure that changes with every probe (it is news to the
        // status bar); without a replica nothing changes while nothing goes on.
        const replicaUrl = process.env.STUDIO_REPLICA_URL;
        process.env.STUDIO_REPLICA_URL = 'off';
        try {
            await core.start();
        } finally {
            if (replicaUrl === undefined) {
                delete process.env.STUDIO_REPLICA_URL;
            } else {
                process.env.STUDIO_REPLICA_URL = replicaUrl;
            }
        }
        await settledHealth(core);
        const heard: WorkspaceHealth[] = [];
        core.onHealthChanged(h => heard.push(h));
        await core.refreshHealth();
        assert.equal(heard.length, 0, 'nothing changed, nothing heard');

        fs.rmSync(path.join(root, 'ws'), { recursive: true });
        await core.refreshHealth();
        assert.equal(heard.length, 1);
        assert.equal(heard[0].status, 'degraded');
        assert.equal(heard[0].components.find(c => c.id === 'workspace-folder')?.status, 'down');
    });

    it('creates a missing workspace folder, as a fresh container needs', async () => {
        fs.rmSync(path.join(root, 'ws'), { recursive: true });
        await core.start();
        assert.equal((await core.health()).status, 'ok');
        assert.ok(fs.statSync(path.join(root, 'ws')).isDirectory());
    });

    it('stays up when its workspace is a file, and says so', async () => {
        await core.stop();
        fs.writeFileSync(path.join(root, 'file'), '');
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'file'), dataDir: path.join(root, 'data') });
        await core.start();
        const health = await core.health();
        assert.equal(health.status, 'degraded');
        assert.match(health.components[0].detail, /is not a directory/);
    });

    it('offers its lock manager once started, and refuses before', async () => {
        assert.throws(() => core.locks, /has not started yet/);
        await core.start();
        assert.deepEqual(core.locks.list(), []);
    });

    it('opens its six databases at start, reports each in health, and closes them at stop', async () => {
        assert.throws(() => core.databases, /has not started yet/);
        await core.start();
        const health = await core.refreshHealth({ quickCheck: true });
        const databases = health.components.filter(c => c.id.startsWith('db:'));
        assert.deepEqual(databases.map(c => [c.id, c.status, c.metrics?.quickCheck]),
            ['workspace', 'agents', 'tasks', 'locks', 'sessions', 'metrics'].map(n => [`db:${n}`, 'ok', 'ok']));
        const workspace = core.databases.get('workspace');
        new SettingsRepository(workspace).set('theme', 'dark');
        await core.stop();
        assert.throws(() => workspace.get('SELECT 1'), /closed/);
        assert.ok(!fs.existsSync(path.join(root, 'data', 'workspace.db-wal')), 'closed cleanly: the last connection checkpointed its WAL away');
    });

    it('keeps serving when a part fails, reporting it and every part that needs it as down', async () => {
        const ttl = process.env.STUDIO_LOCK_TTL_MS;
        process.env.STUDIO_LOCK_TTL_MS = 'soon';
        try {
            await core.start();
        } finally {
            if (ttl === undefined) {
                delete process.env.STUDIO_LOCK_TTL_MS;
            } else {
                process.env.STUDIO_LOCK_TTL_MS = ttl;
            }
        }
        const health = await core.health();
        assert.equal(health.status, 'degraded');
        const byId = new Map(health.components.map(c => [c.id, c]));
        assert.equal(byId.get('locks')?.status, 'down');
        assert.match(byId.get('locks')!.detail, /^File locks did not start: STUDIO_LOCK_TTL_MS must be a positive number of milliseconds, not "soon"\.$/);
        assert.match(byId.get('orchestrator')!.detail, /^Agents did not start: File locks did not start \(STUDIO_LOCK_TTL_MS must be/);
        assert.match(byId.get('costs')!.detail, /^Costs did not start: Agents did not start \(File locks did not start/);
        assert.throws(() => core.orchestrator, /Agents did not start: File locks did not start/);
        assert.deepEqual(['db:workspace', 'timeline', 'durability'].map(id => byId.get(id)?.status), ['ok', 'ok', 'ok'], 'the rest serves');
        assert.equal(core.timeline.health().status, 'ok');
    });

    it('offers its SQL console, which leaves locks.db to the lock manager and whose queries end when the core stops', async () => {
        await core.start();
        const admin = core.sqlConsole.openSession({ id: 'user:ada', displayName: 'Ada', role: 'admin' });
        const write = await admin.run({ database: 'locks', sql: 'DELETE FROM locks', allowWrites: true });
        assert.equal(write.error?.kind, 'forbidden');
        assert.match(write.error!.message, /written only by the lock manager/);

        const endless = admin.run({ database: 'workspace', sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c', timeoutMs: 60_000 });
        await new Promise(resolve => setTimeout(resolve, 300));
        const stoppedAt = Date.now();
        await core.stop();
        const ended = await endless;
        assert.ok(Date.now() - stoppedAt < 10_000, 'the query did not run on to its time limit');
        assert.ok(ended.error, 'the query was stopped, not completed');
    });

    it('keeps serving when one database file is damaged, and says which and what to do', async () => {
        fs.mkdirSync(path.join(root, 'data'));
        fs.writeFileSync(path.join(root, 'data', 'agents.db'), 'garbage '.repeat(1000));
        await core.start();
        const health = await core.health();
        assert.equal(health.status, 'degraded');
        const agents = health.components.find(c => c.id === 'db:agents')!;
        assert.equal(agents.status, 'degraded');
        assert.match(agents.detail, /agents\.db was damaged .* Restore it from the replica or inspect the moved file\./);
        const agentsDb = core.databases.get('agents');
        assert.equal(agentsDb.schemaVersion, databaseMigrations.agents.length, 'a fresh database at the current schema');
        assert.ok(agentsDb.get<{ n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'")!.n > 0);
    });
});
