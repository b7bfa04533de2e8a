import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import { NotDurableError } from '../replication/durability';
import { restoreDatabase } from '../replication/restore';
import { WorkspaceCore } from './workspace-core';

/**
 * When the core acknowledges a write, seen from the replica: the sync interval is a minute, so
 * whatever is in the replica right after an acknowledgement got there because of it.
 */
describe('durability modes in the workspace core', function () {
    this.timeout(60_000);
    let root: string;
    const keys = ['STUDIO_REPLICA_URL', 'STUDIO_SYNC_INTERVAL_MS', 'STUDIO_DURABILITY', 'STUDIO_ASYNC_MAX_LAG_MS'] as const;
    const saved = Object.fromEntries(keys.map(k => [k, process.env[k]]));
    const cores: WorkspaceCore[] = [];

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'durability-'));
        process.env.STUDIO_REPLICA_URL = pathToFileURL(path.join(root, 'replica')).href;
        process.env.STUDIO_SYNC_INTERVAL_MS = '60000';
    });
    afterEach(async () => {
        await Promise.all(cores.splice(0).map(c => c.stop()));
        for (const key of keys) {
            if (saved[key] === undefined) delete process.env[key]; else process.env[key] = saved[key];
        }
        fs.rmSync(root, { recursive: true, force: true });
    });

    const startCore = async (env: Partial<Record<typeof keys[number], string>>) => {
        Object.assign(process.env, env);
        const core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') }, { orchestrator: { prefork: false } });
        cores.push(core);
        await core.start();
        return core;
    };
    /** Whether the replica (restored into a scratch file) holds task `id`. */
    const replicaHasTask = async (id: number) => {
        const target = path.join(root, `restored-${Math.random().toString(36).slice(2)}.db`);
        try {
            await restoreDatabase({ store: new DirectoryObjectStore(path.join(root, 'replica')), db: 'tasks', targetPath: target });
        } catch (error) {
            if (/No replica of tasks/.test((error as Error).message)) {
                return false;
            }
            throw error;
        }
        const db = new Database(target, { readonly: true });
        try {
            return db.prepare('SELECT 1 FROM tasks WHERE id = ?').get(id) !== undefined;
        } finally {
            db.close();
        }
    };
    const durabilityHealth = async (core: WorkspaceCore) => (await core.refreshHealth()).components.find(c => c.id === 'durability')!;
    const agentOf = (core: WorkspaceCore) => core.orchestrator.listAgents()[0].id;

    it('ack: a task is acknowledged only once its row is in the replica; health says ack', async () => {
        const core = await startCore({ STUDIO_DURABILITY: 'ack' });
        const task = core.orchestrator.submitTask(agentOf(core), { prompt: 'durable, please' });
        await core.durability.acknowledge(`task #${task.id}`, 'tasks');
        assert.ok(await replicaHasTask(task.id), 'the acknowledged task is in the replica');
        const health = await durabilityHealth(core);
        assert.equal(health.status, 'ok', health.detail);
        assert.equal(health.metrics?.mode, 'ack');
        assert.match(health.detail ?? '', /acknowledged once they are in the replica \(ack\)/);
        assert.equal(core.durability.status().acknowledged, 1);
    });

    it('async: acknowledged on the local commit while the replica is within the bound, and held back past it', async () => {
        const core = await startCore({ STUDIO_DURABILITY: 'async', STUDIO_ASYNC_MAX_LAG_MS: '600000' });
        // Every database ships once at start (until then its lag is unknown, which counts as past the bound).
        const lagOf = async (c: typeof core) => (await c.refreshHealth()).components.find(h => h.id === 'replication')?.metrics?.['tasks.lagMs'];
        while (typeof await lagOf(core) !== 'number') {
            await new Promise(resolve => setTimeout(resolve, 20));
        }
        const second = core.orchestrator.submitTask(agentOf(core), { prompt: 'fast' });
        await core.durability.acknowledge(`task #${second.id}`, 'tasks');
        assert.equal(await replicaHasTask(second.id), false, 'acknowledged before the next sync (a minute away) shipped it');
        assert.match((await durabilityHealth(core)).detail ?? '', /committed on this disk \(async\), never while the replica trails by more than 600\.0 s/);
        await core.stop();
        cores.splice(0);

        // The bound: with 100 ms, a replica a minute behind holds the acknowledgement back until it ships.
        const bounded = await startCore({ STUDIO_DURABILITY: 'async', STUDIO_ASYNC_MAX_LAG_MS: '100' });
        const warmUp = bounded.orchestrator.submitTask(agentOf(bounded), { prompt: 'first sync' });
        await bounded.durability.acknowledge(`task #${warmUp.id}`, 'tasks');
        const tasksLag = async () => Number((await bounded.refreshHealth()).components.find(c => c.id === 'replication')?.metrics?.['tasks.lagMs'] ?? 0);
        while (await tasksLag() <= 100) {
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        const third = bounded.orchestrator.submitTask(agentOf(bounded), { prompt: 'bounded' });
        await bounded.durability.acknowledge(`task #${third.id}`, 'tasks');
        assert.ok(await replicaHasTask(third.id), 'past the bound, the acknowledgement waited for the upload');
    });

    it('ack without a replica: refused with a clear error, and health says why', async () => {
        const core = await startCore({ STUDIO_DURABILITY: 'ack', STUDIO_REPLICA_URL: 'off' });
        const task = core.orchestrator.submitTask(agentOf(core), { prompt: 'nowhere to go' });
        await assert.rejects(core.durability.acknowledge(`Task #${task.id}`, 'tasks'), (error: Error) => {
            assert.ok(error instanceof NotDurableError);
            assert.match(error.message, new RegExp(`Task #${task.id} is committed on this disk but not yet in the replica \\(tasks\\.db\\): replication is not running.*do not repeat it`));
            return true;
        });
        const health = await durabilityHealth(core);
        assert.equal(health.status, 'degraded');
        assert.match(health.detail ?? '', /STUDIO_DURABILITY=ack, but replication is off.*Set STUDIO_REPLICA_URL, or STUDIO_DURABILITY=async/);
    });

    it('an unknown mode falls back to ack and says so', async () => {
        const core = await startCore({ STUDIO_DURABILITY: 'sometimes' });
        assert.equal(core.durability.mode, 'ack');
        const health = await durabilityHealth(core);
        assert.equal(health.status, 'degraded');
        assert.match(health.detail ?? '', /STUDIO_DURABILITY="sometimes" is not a durability mode; use "async".*or "ack".*Using "ack" until it is fixed/);
    });
});
