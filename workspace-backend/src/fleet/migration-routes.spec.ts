import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { K8sTestServer } from '@coditect/k8s-test-server';
import { resolveFleetConfig } from './fleet-config';
import { fleetTokenOf, startTestFleet, TestFleet } from './fleet-test-support';
import type { WorkspaceInfo } from './workspace-info';
import { FleetAnnotation } from './workspace-manifests';

const namespace = 'migration';

/** What an upstream (v1, or the workspaces' studio) was sent. */
interface Received {
    readonly method: string;
    readonly url: string;
    readonly body: string;
}

/** A tiny upstream recording every request and websocket it gets; a websocket echoes what it is sent. */
interface Upstream {
    readonly url: string;
    readonly received: Received[];
    close(): Promise<void>;
}

async function startUpstream(name: string): Promise<Upstream> {
    const received: Received[] = [];
    const sockets = new Set<Duplex>();
    const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', chunk => chunks.push(chunk as Buffer));
        request.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            received.push({ method: request.method ?? '', url: request.url ?? '', body });
            response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ from: name, method: request.method, url: request.url, body }));
        });
    });
    server.on('upgrade', (request: http.IncomingMessage, socket: Duplex) => {
        received.push({ method: 'UPGRADE', url: request.url ?? '', body: '' });
        sockets.add(socket);
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
        socket.on('data', data => socket.write(`${name} echoes ${String(data)}`));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received,
        close: async () => {
            sockets.forEach(socket => socket.destroy());
            server.closeAllConnections();
            await new Promise<void>(resolve => server.close(() => resolve()));
        },
    };
}

/** An HTTP answer as it came, redirects not followed. */
async function request(url: string, method: string, token: string | undefined, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
    const response = await fetch(url, { method, redirect: 'manual', body, headers: { ...token ? { Authorization: `Bearer ${token}` } : {}, ...headers } });
    return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A websocket upgrade: the socket when it was switched (101), else the HTTP answer it got. */
function upgrade(url: string, token: string | undefined): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; socket?: Duplex }> {
    return new Promise((resolve, reject) => {
        const asked = http.request(url, {
            headers: {
                Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
                ...token ? { Authorization: `Bearer ${token}` } : {},
            },
        });
        asked.on('upgrade', (response, socket) => resolve({ status: response.statusCode!, headers: response.headers, body: '', socket }));
        asked.on('response', response => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', chunk => body += chunk);
            response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
        });
        asked.on('error', reject);
        asked.end();
    });
}

/** What a websocket answers to `text`. */
async function exchange(socket: Duplex, text: string): Promise<string> {
    socket.write(text);
    const [data] = await once(socket, 'data');
    return String(data);
}

describe('moving v1 users to v2 through the fleet: workspaces made for v1 users, their route, the v1 front door and the closed v2 door', function () {
    this.timeout(60_000);
    let server: K8sTestServer;
    let testFleet: TestFleet;
    let v1: Upstream;
    let studio: Upstream;
    let u42: string;
    let u43: string;
    let ada: string;
    let admin: string;
    let migrated: WorkspaceInfo;
    const call: TestFleet['call'] = (...args) => testFleet.call(...args);
    const setRoute = (id: string, route: string) => call('PUT', `/workspaces/${id}/route`, admin, { route });
    const logged: string[] = [];
    /** The fleet's log: its info lines are kept in `logged` while `logging` runs an action. */
    let capturing = false;
    const log = {
        info: (_fields: object, message: string) => capturing && logged.push(message),
        warn: () => undefined,
        error: () => undefined,
    };

    before(async () => {
        server = await K8sTestServer.start({ readyDelayMs: 50 });
        [v1, studio] = await Promise.all([startUpstream('v1'), startUpstream('studio')]);
        testFleet = await startTestFleet(server, namespace, {
            FLEET_V1_URL: `${v1.url}/`, FLEET_WORKSPACE_URL: studio.url, FLEET_IDLE_MINUTES: '0', FLEET_WARM_POOL: '1',
        }, log);
        [u42, u43, ada, admin] = await Promise.all([
            fleetTokenOf('u0042', 'developer'), fleetTokenOf('u0043', 'developer'), fleetTokenOf('ada', 'developer'), fleetTokenOf('root', 'admin'),
        ]);
    });
    after(async () => {
        await testFleet?.stop();
        await Promise.all([v1?.close(), studio?.close()]);
        await server?.stop();
    });

    /** Runs `action` with the fleet's log lines kept in `logged`. */
    async function logging<T>(action: () => Promise<T>): Promise<T> {
        capturing = true;
        try {
            return await action();
        } finally {
            capturing = false;
        }
    }

    it('provisions the workspace a v1 user moves into stopped, with route v1, never a warm one, and answers it again on a rerun', async () => {
        for (let deadline = Date.now() + 20_000; !testFleet.fleet.warmPool!.warm().some(w => w.state === 'ready');) {
            assert.ok(Date.now() < deadline, 'the warm pool has a ready workspace');
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        const [warm] = testFleet.fleet.warmPool!.warm();

        const provisioned = await call('POST', '/workspaces/provision', admin, { size: 'small', owner: 'user:u0042', v1User: 'u0042' });
        assert.equal(provisioned.status, 201, JSON.stringify(provisioned.body));
        migrated = provisioned.body;
        assert.notEqual(migrated.id, warm.id, 'not the warm workspace');
        assert.deepEqual([migrated.owner, migrated.size, migrated.state, migrated.v1User, migrated.route, migrated.warm],
            ['user:u0042', 'small', 'stopped', 'u0042', 'v1', undefined]);
        const statefulSet = server.object('statefulsets', namespace, migrated.id)!;
        assert.equal(statefulSet.spec.replicas, 0, 'made stopped: no pod writes to its bucket folder before the move');
        assert.equal(statefulSet.metadata.annotations?.[FleetAnnotation.v1User], 'u0042');
        assert.equal(statefulSet.metadata.annotations?.[FleetAnnotation.route], 'v1');
        assert.equal(statefulSet.metadata.annotations?.[FleetAnnotation.ownerId], 'user:u0042');
        await new Promise(resolve => setTimeout(resolve, 200));
        assert.equal(server.object('pods', namespace, `${migrated.id}-0`), undefined, 'no pod was ever made');
        assert.equal(testFleet.fleet.registry.get(warm.id)?.warm, true, 'the warm workspace is still the pool\'s');

        const again = await call('POST', '/workspaces/provision', admin, { size: 'small', owner: 'user:u0042', v1User: 'u0042' });
        assert.deepEqual([again.status, again.body.id, again.body.state, again.body.route], [200, migrated.id, 'stopped', 'v1']);
        const hers = (await call('GET', '/workspaces', u42)).body.workspaces as WorkspaceInfo[];
        assert.deepEqual(hers.map(w => [w.id, w.v1User, w.route]), [[migrated.id, 'u0042', 'v1']], 'one workspace, seen by its owner with its route');
    });

    it('refuses a provision for a v1 user to anyone but an admin, without an owner, with a bad id, or a second move', async () => {
        const before = server.objects('statefulsets', namespace).length;
        const cases: [string | undefined, unknown, number, string][] = [
            [u43, { owner: 'user:u0043', v1User: 'u0043' }, 403, 'Only an admin may provision a workspace for a v1 user ("v1User"): moving people from CODITECT v1 is an operator\'s task.'],
            [u43, { v1User: 'u0043' }, 403, 'Only an admin may provision a workspace for a v1 user ("v1User"): moving people from CODITECT v1 is an operator\'s task.'],
            [admin, { v1User: 'u0043' }, 400, '"v1User" needs "owner": the person the v1 user is in v2, such as "user:u0042".'],
            ...['-u0043', 'u 0043', 'u/0043', `u${'0'.repeat(120)}`, '', 43].map((v1User): [string, unknown, number, string] =>
                [admin, { owner: 'user:u0043', v1User }, 400, '"v1User" must be the v1 user\'s id: a letter or digit, then at most 119 letters, digits, "_", "." or "-".']),
            [admin, { owner: 'user:u0043', v1User: 'u0043', size: 'huge' }, 400, '"huge" is not a workspace size: use small, medium, large.'],
            [admin, { owner: 'user:u0043', v1User: 'u0042' }, 409, `v1 user u0042 is already being moved into ${migrated.id}, user:u0042's; a v1 user is moved into one workspace.`],
            [admin, { owner: 'user:u0042', v1User: 'u0042-other' }, 409, `user:u0042 already has a workspace moved from v1 user u0042 (${migrated.id}); a person is moved from v1 once.`],
        ];
        for (const [token, body, status, error] of cases) {
            const answer = await call('POST', '/workspaces/provision', token, body);
            assert.deepEqual([answer.status, answer.body.error], [status, error], JSON.stringify(body));
        }
        assert.equal(server.objects('statefulsets', namespace).length, before, 'nothing was made');
        // The longest id allowed is made.
        const longest = `u${'0'.repeat(119)}`;
        const made = await call('POST', '/workspaces/provision', admin, { owner: 'user:long', v1User: longest });
        assert.deepEqual([made.status, made.body.v1User], [201, longest]);
    });

    it('sets the route for an admin only, conditionally on the StatefulSet\'s version, logging each change', async () => {
        const plain = (await call('POST', '/workspaces/provision', ada, {})).body as WorkspaceInfo;
        const refusals: [string, string, string | undefined, unknown, number, string][] = [
            ['PUT', `/workspaces/${migrated.id}/route`, u42, { route: 'v2' }, 403, 'Only an admin may set a workspace\'s route: it moves a person between CODITECT v1 and v2.'],
            ['PUT', `/workspaces/${migrated.id}/route`, undefined, { route: 'v2' }, 401, 'Sign in: send your identity provider\'s token as "Authorization: Bearer <token>".'],
            ['PUT', '/workspaces/ws-aaaaaaaaaa/route', admin, { route: 'v2' }, 404, 'There is no workspace ws-aaaaaaaaaa: list yours with GET /workspaces.'],
            ['PUT', `/workspaces/${plain.id}/route`, admin, { route: 'v2' }, 409, `Workspace ${plain.id} is not a migrated workspace: it has no v1 route.`],
            ['PUT', `/workspaces/${migrated.id}/route`, admin, { route: 'v3' }, 400, '"route" must be "v1", "frozen" or "v2", such as {"route": "frozen"}.'],
            ['PUT', `/workspaces/${migrated.id}/route`, admin, { route: 2 }, 400, '"route" must be "v1", "frozen" or "v2", such as {"route": "frozen"}.'],
            ['PUT', `/workspaces/${migrated.id}/route`, admin, {}, 400, '"route" must be "v1", "frozen" or "v2", such as {"route": "frozen"}.'],
            ['PUT', `/workspaces/${migrated.id}/route`, admin, ['v2'], 400, 'The body must be a JSON object such as {"route": "frozen"}.'],
            ['GET', `/workspaces/${migrated.id}/route`, admin, undefined, 405, `GET …/route is not served: set a migrated workspace's route with PUT /workspaces/${migrated.id}/route {"route": "frozen"}.`],
        ];
        await logging(async () => {
            for (const [method, route, token, body, status, error] of refusals) {
                const answer = await call(method, route, token, body);
                assert.deepEqual([answer.status, answer.body.error], [status, error], `${method} ${route} ${JSON.stringify(body)}`);
            }
            const broken = await call('PUT', `/workspaces/${migrated.id}/route`, admin, '{"route": ');
            assert.deepEqual([broken.status, broken.body.error.startsWith('The body is not JSON'), broken.body.error.endsWith('send {"route": "frozen"}.')], [400, true, true]);
        });
        assert.deepEqual(logged, [], 'nothing was changed');
        assert.equal(server.object('statefulsets', namespace, migrated.id)!.metadata.annotations?.[FleetAnnotation.route], 'v1');

        const frozen = await logging(() => setRoute(migrated.id, 'frozen'));
        assert.deepEqual([frozen.status, frozen.body.id, frozen.body.route, frozen.body.state], [200, migrated.id, 'frozen', 'stopped']);
        assert.equal(server.object('statefulsets', namespace, migrated.id)!.metadata.annotations?.[FleetAnnotation.route], 'frozen');
        assert.deepEqual((await call('GET', `/workspaces/${migrated.id}`, u42)).body.route, 'frozen');
        const same = await logging(() => setRoute(migrated.id, 'frozen'));
        assert.deepEqual([same.status, same.body.route], [200, 'frozen'], 'the route it has: fine');
        assert.deepEqual(logged, [`workspace ${migrated.id} (v1 user u0042): route v1 → frozen, by user:root`], 'one line per change');

        // The registry's view is behind the StatefulSet: the write conflicts, is read again and set from there.
        const registry = testFleet.fleet.registry;
        const resourceVersionOf = registry.resourceVersionOf;
        registry.resourceVersionOf = () => '1';
        const first = server.requests.length;
        try {
            const back = await logging(() => setRoute(migrated.id, 'v1'));
            assert.deepEqual([back.status, back.body.route], [200, 'v1']);
        } finally {
            registry.resourceVersionOf = resourceVersionOf;
        }
        const path = `/apis/apps/v1/namespaces/${namespace}/statefulsets/${migrated.id}`;
        assert.deepEqual(server.requests.slice(first).filter(r => r.path === path).map(r => `${r.method} ${r.status}`), ['PATCH 409', 'GET 200', 'PATCH 200']);
        assert.equal(logged.at(-1), `workspace ${migrated.id} (v1 user u0042): route frozen → v1, by user:root`);
        assert.equal(logged.length, 2);
    });

    it('keeps the v2 workspace closed to its owner while not moved (without waking it), lets admins in, and opens it once the route is v2', async () => {
        const door = (id: string, rest = '') => `${testFleet.fleet.url}/theia/${id}/${rest}`;
        const closed = { error: 'This workspace opens once your move to CODITECT v2 is done; until then use /app.' };
        for (const route of ['v1', 'frozen']) {
            assert.equal((await setRoute(migrated.id, route)).status, 200);
            const fetched = await request(door(migrated.id, 'files?x=1'), 'GET', u42);
            assert.deepEqual([fetched.status, JSON.parse(fetched.text)], [409, closed], route);
            const pageLoad = await request(door(migrated.id), 'GET', u42, undefined, { Accept: 'text/html' });
            assert.deepEqual([pageLoad.status, JSON.parse(pageLoad.text)], [409, closed], `${route}: a page load`);
            const posted = await request(door(migrated.id, 'save'), 'POST', u42, 'text');
            assert.deepEqual([posted.status, JSON.parse(posted.text)], [409, closed], `${route}: a write`);
            const socket = await upgrade(door(migrated.id, 'services'), u42);
            assert.deepEqual([socket.status, JSON.parse(socket.body)], [409, closed], `${route}: a websocket`);
            const started = await call('POST', `/workspaces/${migrated.id}/start`, u42);
            assert.deepEqual([started.status, started.body.error], [409, `Workspace ${migrated.id} opens once your move to CODITECT v2 is done; until then use CODITECT v1.`]);
            const stranger = await request(door(migrated.id), 'GET', u43);
            assert.equal(stranger.status, 403, 'someone else is still refused as anyone else is');
        }
        await new Promise(resolve => setTimeout(resolve, 200));
        assert.equal(server.object('statefulsets', namespace, migrated.id)!.spec.replicas, 0, 'nothing woke it');
        assert.equal(server.object('pods', namespace, `${migrated.id}-0`), undefined);
        assert.equal(testFleet.fleet.registry.get(migrated.id)?.state, 'stopped');
        assert.deepEqual(studio.received, [], 'nothing reached a studio');

        // An operator looks at it: an admin passes, and wakes it as always.
        const looked = await request(door(migrated.id, 'health?deep=1'), 'GET', admin);
        assert.equal(looked.status, 200, looked.text);
        assert.deepEqual(JSON.parse(looked.text), { from: 'studio', method: 'GET', url: '/health?deep=1', body: '' });
        assert.equal(testFleet.fleet.registry.get(migrated.id)?.state, 'ready');

        assert.equal((await setRoute(migrated.id, 'v2')).status, 200);
        const opened = await request(door(migrated.id, 'save'), 'POST', u42, 'hello v2');
        assert.equal(opened.status, 200, opened.text);
        assert.deepEqual(JSON.parse(opened.text), { from: 'studio', method: 'POST', url: '/save', body: 'hello v2' });

        // A workspace with no route (not migrated) is as it always was.
        const plain = (await call('GET', '/workspaces', ada)).body.workspaces[0] as WorkspaceInfo;
        assert.equal(plain.route, undefined);
        const own = await request(door(plain.id, 'x'), 'GET', ada);
        assert.deepEqual([own.status, JSON.parse(own.text).url], [200, '/x']);
    });

    it('serves v1\'s front door by the person\'s route: v1 proxied, frozen read-only, v2 sent to the workspace', async () => {
        const app = (rest = '') => `${testFleet.fleet.url}/app${rest}`;
        v1.received.length = 0;

        const anonymous = await request(app('/projects'), 'GET', undefined);
        assert.deepEqual([anonymous.status, JSON.parse(anonymous.text)], [401, { error: 'Sign in: send your identity provider\'s token as "Authorization: Bearer <token>".' }]);
        const badToken = await request(app('/projects'), 'GET', 'not-a-token');
        assert.deepEqual([badToken.status, JSON.parse(badToken.text).error], [401, 'The token was refused: the credential is not a well-formed token.']);
        const anonymousSocket = await upgrade(app('/live'), undefined);
        assert.equal(anonymousSocket.status, 401);
        assert.equal(v1.received.length, 0, 'nothing reached v1 without a person');

        // Route v1: everything goes to v1 as it came.
        assert.equal((await setRoute(migrated.id, 'v1')).status, 200);
        const read = await request(app('/projects?page=2'), 'GET', u42);
        assert.deepEqual([read.status, JSON.parse(read.text)], [200, { from: 'v1', method: 'GET', url: '/app/projects?page=2', body: '' }]);
        const root = await request(app(), 'GET', u42);
        assert.deepEqual([root.status, JSON.parse(root.text).url], [200, '/app']);
        const written = await request(app('/notes'), 'POST', u42, 'a note for v1', { 'Content-Type': 'text/plain' });
        assert.deepEqual([written.status, JSON.parse(written.text)], [200, { from: 'v1', method: 'POST', url: '/app/notes', body: 'a note for v1' }]);
        const live = await upgrade(app('/live?room=1'), u42);
        assert.equal(live.status, 101);
        assert.equal(await exchange(live.socket!, 'ping'), 'v1 echoes ping');
        live.socket!.destroy();
        assert.deepEqual(v1.received.map(r => `${r.method} ${r.url} ${r.body}`), ['GET /app/projects?page=2 ', 'GET /app ', 'POST /app/notes a note for v1', 'UPGRADE /app/live?room=1 ']);
        v1.received.length = 0;

        // Frozen: v1 may be read, not changed; websockets wait too.
        assert.equal((await setRoute(migrated.id, 'frozen')).status, 200);
        const paused = { error: 'Your workspace is moving to CODITECT v2: changes are paused for a few seconds. Try again shortly.' };
        for (const method of ['GET', 'HEAD', 'OPTIONS']) {
            assert.equal((await request(app('/projects'), method, u42)).status, 200, method);
        }
        for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
            const refused = await request(app('/notes/1'), method, u42, method === 'DELETE' ? undefined : 'a change');
            assert.deepEqual([refused.status, refused.headers.get('retry-after'), JSON.parse(refused.text)], [503, '5', paused], method);
        }
        const frozenSocket = await upgrade(app('/live'), u42);
        assert.deepEqual([frozenSocket.status, frozenSocket.headers['retry-after'], JSON.parse(frozenSocket.body)], [503, '5', paused]);
        assert.deepEqual(v1.received.map(r => `${r.method} ${r.url}`), ['GET /app/projects', 'HEAD /app/projects', 'OPTIONS /app/projects'], 'only the reads reached v1');
        v1.received.length = 0;

        // Moved: page loads go to the workspace; nothing more is written to v1.
        assert.equal((await setRoute(migrated.id, 'v2')).status, 200);
        for (const method of ['GET', 'HEAD']) {
            const sent = await request(app('/projects?page=2'), method, u42);
            assert.deepEqual([sent.status, sent.headers.get('location')], [302, migrated.url], method);
        }
        assert.equal(migrated.url, `https://coditect.test/theia/${migrated.id}/`);
        const moved = { error: `Your workspace moved to CODITECT v2; continue at ${migrated.url}.`, url: migrated.url };
        for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
            const refused = await request(app('/notes'), method, u42, method === 'POST' || method === 'PUT' ? 'late' : undefined);
            assert.deepEqual([refused.status, JSON.parse(refused.text)], [409, moved], method);
        }
        const movedSocket = await upgrade(app('/live'), u42);
        assert.deepEqual([movedSocket.status, JSON.parse(movedSocket.body)], [409, moved]);
        assert.equal(v1.received.length, 0, 'nothing reached v1');

        // Everyone else is still v1's; an admin is routed by their own person, as anyone.
        for (const token of [u43, ada, admin]) {
            const other = await request(app('/notes'), 'POST', token, 'theirs');
            assert.deepEqual([other.status, JSON.parse(other.text).body], [200, 'theirs']);
        }
        const forRoot = (await call('POST', '/workspaces/provision', admin, { owner: 'user:root', v1User: 'root' })).body as WorkspaceInfo;
        assert.equal((await setRoute(forRoot.id, 'v2')).status, 200);
        const rootSent = await request(app('/projects'), 'GET', admin);
        assert.deepEqual([rootSent.status, rootSent.headers.get('location')], [302, forRoot.url]);
        const rootWrite = await request(app('/notes'), 'POST', admin, 'x');
        assert.equal(rootWrite.status, 409);

        // Not under the front door's path: the API's as always.
        const elsewhere = await request(`${testFleet.fleet.url}/application`, 'GET', u42);
        assert.deepEqual([elsewhere.status, JSON.parse(elsewhere.text).error], [404, 'No such endpoint: GET /application. The fleet serves /workspaces (see the operator docs).']);
    });

    it('serves no v1 front door without FLEET_V1_URL, and says which v1 setting is wrong', async () => {
        const before = v1.received.length;
        const plainFleet = await startTestFleet(server, 'migration-off', { FLEET_IDLE_MINUTES: '0' });
        try {
            const answer = await request(`${plainFleet.fleet.url}/app/projects`, 'GET', u42);
            assert.deepEqual([answer.status, JSON.parse(answer.text).error], [404, 'No such endpoint: GET /app/projects. The fleet serves /workspaces (see the operator docs).']);
            assert.equal((await upgrade(`${plainFleet.fleet.url}/app/live`, u42)).status, 404);
        } finally {
            await plainFleet.stop();
        }
        assert.equal(v1.received.length, before, 'nothing reached v1');

        assert.deepEqual([resolveFleetConfig({}).v1Url, resolveFleetConfig({}).v1Path], [undefined, '/app']);
        assert.deepEqual([resolveFleetConfig({ FLEET_V1_URL: 'http://v1-app.internal:8080/', FLEET_V1_PATH: '/legacy/app/' })].map(c => [c.v1Url, c.v1Path]), [['http://v1-app.internal:8080', '/legacy/app']]);
        assert.throws(() => resolveFleetConfig({ FLEET_V1_URL: 'v1-app:8080' }), /FLEET_V1_URL must be the v1 application's http\(s\) URL such as http:\/\/v1-app.internal:8080, not "v1-app:8080"\.$/);
        for (const path of ['app', '/', '/workspaces', '/workspaces/x', '/metrics', '/theia', '/theia/app', '/a b']) {
            assert.throws(() => resolveFleetConfig({ FLEET_V1_PATH: path }), /FLEET_V1_PATH must be a path such as \/app, apart from \/workspaces, \/healthz, \/metrics and FLEET_BASE_URL's \/theia, not /, path);
        }
    });
});
