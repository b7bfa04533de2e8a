import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import express from '@theia/core/shared/express';
import { Container } from '@theia/core/shared/inversify';
import { WorkspaceCore, WorkspaceHealth } from '@coditect/workspace-backend';
import { RequestUsers } from './auth/request-users';
import { ConnectionActivity } from './connection-activity';
import { HealthEndpoint, HealthResponseBody } from './health-endpoint';
import { WorkspaceCoreHost } from './workspace-core-host';

/** Real HTTP against an express app with the endpoint, over a real workspace core replicating to a folder. */
describe('HealthEndpoint (GET /health)', function () {
    this.timeout(60_000);

    let root: string;
    let core: WorkspaceCore | undefined;
    let server: http.Server;
    let baseUrl: string;
    let host: { ready: Promise<WorkspaceCore>; startFailure?: string; resolve(core: WorkspaceCore): void };
    const savedEnv = { ...process.env };

    /** Counts the endpoint's own probes (the core also refreshes its health on its own events). */
    let probes = 0;
    let connections: ConnectionActivity;
    class CountingHealthEndpoint extends HealthEndpoint {
        protected override probeCore(core: WorkspaceCore): Promise<WorkspaceHealth> {
            probes++;
            return super.probeCore(core);
        }
    }

    async function serve(): Promise<void> {
        let resolve!: (core: WorkspaceCore) => void;
        const ready = new Promise<WorkspaceCore>(r => resolve = r);
        host = { ready, resolve: c => resolve(c) };
        const container = new Container();
        container.bind(WorkspaceCoreHost).toConstantValue(host);
        container.bind(RequestUsers).toSelf().inSingletonScope();
        container.bind(ConnectionActivity).toSelf().inSingletonScope();
        connections = container.get(ConnectionActivity);
        container.bind(HealthEndpoint).to(CountingHealthEndpoint).inSingletonScope();
        const endpoint = container.get(HealthEndpoint);
        endpoint.initialize();
        const app = express();
        // What the authentication does for /health: a verified credential is recorded, none is fine.
        const users = container.get(RequestUsers);
        app.use((req, _res, next) => {
            const role = req.headers['x-test-role'];
            if (role === 'admin' || role === 'developer') {
                users.set(req, { id: `user:${role}`, displayName: role, role });
            }
            next();
        });
        endpoint.configure(app);
        server = app.listen(0, '127.0.0.1');
        await new Promise(r => server.once('listening', r));
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    async function startCore(): Promise<WorkspaceCore> {
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') });
        await core.start();
        host.resolve(core);
        await new Promise(r => setImmediate(r));
        return core;
    }

    /** As an admin unless `as` says otherwise (`anonymous`: a probe, no credential). */
    async function get(query = '', as: 'admin' | 'developer' | 'anonymous' = 'admin'): Promise<{ status: number; body: Required<HealthResponseBody>; cacheControl: string | null }> {
        const response = await fetch(`${baseUrl}/health${query}`, { headers: as === 'anonymous' ? {} : { 'x-test-role': as } });
        return { status: response.status, body: await response.json() as Required<HealthResponseBody>, cacheControl: response.headers.get('cache-control') };
    }

    async function until(query: string, predicate: (r: Awaited<ReturnType<typeof get>>) => boolean, ms = 15_000, as: 'admin' | 'developer' | 'anonymous' = 'admin') {
        const deadline = Date.now() + ms;
        let last = await get(query, as);
        while (!predicate(last) && Date.now() < deadline) {
            await new Promise(r => setTimeout(r, 200));
            last = await get(query, as);
        }
        return last;
    }

    beforeEach(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'health-endpoint-'));
        fs.mkdirSync(path.join(root, 'ws'));
        process.env.STUDIO_SYNC_INTERVAL_MS = '100';
        process.env.STUDIO_REPLICA_MAX_LAG_MS = '1500';
        await serve();
    });

    afterEach(async () => {
        await new Promise(r => server.close(r));
        await core?.stop();
        core = undefined;
        process.env = { ...savedEnv };
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('answers 503 "starting" until the core has started, while liveness is already 200', async () => {
        const early = await get();
        assert.equal(early.status, 503);
        assert.equal(early.body.status, 'unavailable');
        assert.match(early.body.problems.join('\n'), /starting/);
        assert.equal(early.cacheControl, 'no-store');
        assert.equal((await get('?probe=live')).status, 200);

        await startCore();
        const ready = await until('', r => r.status === 200);
        assert.equal(ready.status, 200, `still unready: ${ready.body.problems.join('; ')}`);
        assert.equal(ready.body.status, 'ready');
        assert.deepEqual(ready.body.problems, []);
        const ids = ready.body.core!.components.map(c => c.id);
        for (const id of ['db:workspace', 'db:agents', 'db:tasks', 'db:locks', 'db:sessions', 'db:metrics', 'replication']) {
            assert.ok(ids.includes(id), `${id} is listed`);
        }
    });

    it('gives a probe and a developer the status alone; the detail (folders, spend, errors) only to an admin', async () => {
        assert.deepEqual((await get('', 'anonymous')).body, { status: 'unavailable' });
        await startCore();
        const ready = await until('', r => r.status === 200);
        assert.equal(ready.status, 200);
        for (const who of ['anonymous', 'developer'] as const) {
            // Ready again for this caller: on a loaded machine a probe between two requests may find a part slow for a moment.
            const answer = await until('', r => r.status === 200, 15_000, who);
            assert.equal(answer.status, 200, `${who}; the admin's view now: ${JSON.stringify((await get()).body.problems)}`);
            assert.deepEqual(answer.body, { status: 'ready' }, who);
            assert.deepEqual((await get('?probe=live', who)).body, { status: 'live' }, who);
        }
        const detail = (await get()).body;
        assert.deepEqual(detail.problems, []);
        assert.ok(detail.core.components.some(c => c.id === 'workspace-folder' && c.detail.includes(path.join(root, 'ws'))), 'the admin sees the parts, folders named');
    });

    it('tells an admin (the fleet) what keeps the workspace awake: an open connection, and since when nothing has', async () => {
        await startCore();
        const idle = (await until('', r => r.status === 200)).body.activity;
        assert.deepEqual([idle.connections, idle.runningTasks, idle.queuedTasks, idle.pausedByBudget], [0, 0, 0, []]);
        assert.equal(idle.idleSince, idle.lastActivityAt);
        assert.ok(Date.parse(idle.idleSince!) <= Date.now());

        const tab = new EventEmitter();
        connections.onDidWebSocketUpgrade({} as http.IncomingMessage, tab);
        const open = (await get()).body.activity;
        assert.deepEqual([open.connections, open.idleSince], [1, null]);

        const closedAt = Date.now();
        tab.emit('disconnect');
        const closed = (await get()).body.activity;
        assert.equal(closed.connections, 0);
        assert.ok(Date.parse(closed.idleSince!) >= closedAt - 5, 'idle since the tab closed');
        assert.equal((await get('', 'developer')).body.activity, undefined, 'the detail is an admin\'s');
    });

    it('answers 503 naming a database that is not open', async () => {
        // A folder where the tasks database file belongs: the cluster cannot open it.
        fs.mkdirSync(path.join(root, 'data', 'tasks.db'), { recursive: true });
        await startCore();
        const answer = await until('', r => r.body.problems.some(p => p.includes('tasks database')));
        assert.equal(answer.status, 503);
        assert.match(answer.body.problems.join('\n'), /tasks database is not open \(down\)/);
        assert.equal(answer.body.problems.some(p => /workspace database|agents database/.test(p)), false, 'only the broken one is named');
        assert.equal((await get('?probe=live')).status, 200, 'liveness does not fail for it');
    });

    it('turns 503 when replication falls behind its configured lag, and 200 again when it catches up', async () => {
        const started = await startCore();
        assert.equal((await until('', r => r.status === 200)).status, 200);
        // Every database has shipped once (before that, the lag counts from the start).
        const deadline = Date.now() + 10_000;
        const synced = async () => {
            const metrics = (await started.refreshHealth()).components.find(c => c.id === 'replication')?.metrics ?? {};
            return ['workspace', 'agents', 'tasks', 'locks', 'sessions', 'metrics'].every(db => typeof metrics[`${db}.lastSyncAt`] === 'string');
        };
        while (!(await synced()) && Date.now() < deadline) {
            await new Promise(r => setTimeout(r, 100));
        }

        // The replica folder becomes a file: every upload fails from now on.
        const replica = path.join(root, 'replica');
        fs.renameSync(replica, `${replica}.away`);
        fs.writeFileSync(replica, 'not a folder');
        const behind = await until('', r => r.status === 503);
        assert.equal(behind.status, 503);
        // Behind its last sync, or (once a replicator starts over after the failure) with none on record.
        assert.match(behind.body.problems.join('\n'),
            /Replication of \w+ (is \d+ s behind|has no successful sync on record, \d+ s after the start) \(allowed: 2 s, STUDIO_REPLICA_MAX_LAG_MS\)/);

        fs.rmSync(replica);
        fs.renameSync(`${replica}.away`, replica);
        const back = await until('', r => r.status === 200);
        assert.equal(back.status, 200, `did not recover: ${back.body.problems.join('; ')}`);
    });

    it('answers 503 on both probes when the core failed to start', async () => {
        host.startFailure = 'the data directory is a file';
        for (const query of ['', '?probe=live']) {
            const answer = await get(query);
            assert.equal(answer.status, 503);
            assert.match(answer.body.problems[0], /did not start: the data directory is a file/);
        }
    });

    it('probes the core once for a burst of requests', async () => {
        await startCore();
        await until('', r => r.status === 200);
        await new Promise(r => setTimeout(r, 2100));
        probes = 0;
        const answers = await Promise.all(Array.from({ length: 20 }, () => get()));
        assert.ok(answers.every(a => a.status === 200));
        assert.equal(probes, 1);
    });
});
