import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { K8sTestServer } from '@coditect/k8s-test-server';
import { ArchiveRecordName } from './fleet-archive';
import type { RunningFleet } from './fleet-main';
import { fleetTokenOf, startTestFleet, TestFleet } from './fleet-test-support';
import type { WorkspaceInfo } from './workspace-info';

const namespace = 'coditect';

describe('the fleet service: workspaces provisioned, stopped, started and deleted on Kubernetes, through its API', function () {
    this.timeout(60_000);
    let server: K8sTestServer;
    let testFleet: TestFleet;
    let fleet: RunningFleet;
    let bucketDir: string;
    let ada: string;
    let bob: string;
    let admin: string;
    const call: TestFleet['call'] = (...args) => testFleet.call(...args);

    before(async () => {
        server = await K8sTestServer.start({ readyDelayMs: 50 });
        testFleet = await startTestFleet(server, namespace);
        ({ fleet, bucketDir } = testFleet);
        [ada, bob, admin] = await Promise.all([fleetTokenOf('ada', 'developer'), fleetTokenOf('bob', 'developer'), fleetTokenOf('root', 'admin')]);
    });
    after(async () => {
        await testFleet?.stop();
        await server?.stop();
    });

    it('provisions a workspace for the person asking, answering once its pod is ready, and keeps it in Kubernetes only', async () => {
        const provisioned = await call('POST', '/workspaces/provision', ada, { size: 'small' });
        assert.equal(provisioned.status, 201, JSON.stringify(provisioned.body));
        const workspace = provisioned.body as WorkspaceInfo;
        assert.match(workspace.id, /^ws-[a-z2-7]{10}$/);
        assert.deepEqual([workspace.owner, workspace.size, workspace.state, workspace.url, workspace.bucketPrefix],
            ['user:ada', 'small', 'ready', `https://coditect.test/theia/${workspace.id}/`, `workspaces/${workspace.id}`]);
        // Its objects, as the API server holds them: the registry is their labels and annotations.
        assert.ok(server.object('statefulsets', namespace, workspace.id));
        assert.ok(server.object('services', namespace, workspace.id));
        assert.ok(server.object('persistentvolumeclaims', namespace, `home-${workspace.id}-0`));

        assert.deepEqual((await call('GET', '/workspaces', ada)).body.workspaces.map((w: WorkspaceInfo) => w.id), [workspace.id]);
        assert.deepEqual((await call('GET', '/workspaces', bob)).body.workspaces, []);
        assert.ok((await call('GET', '/workspaces', admin)).body.workspaces.some((w: WorkspaceInfo) => w.id === workspace.id));
        assert.deepEqual((await call('GET', `/workspaces?owner=${encodeURIComponent('user:ada')}`, admin)).body.workspaces.map((w: WorkspaceInfo) => w.id), [workspace.id]);
        assert.equal((await call('GET', `/workspaces/${workspace.id}`, ada)).body.state, 'ready');

        const someoneElses = await call('GET', `/workspaces/${workspace.id}`, bob);
        assert.deepEqual([someoneElses.status, someoneElses.body.error], [403, `Workspace ${workspace.id} is not yours: only its owner or an admin may read it.`]);
        const forAda = await call('POST', '/workspaces/provision', admin, { owner: 'user:ada', size: 'large' });
        assert.deepEqual([forAda.status, forAda.body.owner, forAda.body.size], [201, 'user:ada', 'large']);
    });

    it('stops a workspace (its pod goes, its volume stays) and starts it again, ready', async () => {
        const { body: workspace } = await call('POST', '/workspaces/provision', bob, {});
        const stopped = await call('POST', `/workspaces/${workspace.id}/stop`, bob);
        assert.deepEqual([stopped.status, stopped.body.state, stopped.body.stopReason], [200, 'stopped', 'user']);
        assert.equal(server.object('pods', namespace, `${workspace.id}-0`), undefined);
        assert.ok(server.object('persistentvolumeclaims', namespace, `home-${workspace.id}-0`), 'its volume is kept');

        const started = await call('POST', `/workspaces/${workspace.id}/start`, bob);
        assert.deepEqual([started.status, started.body.state, started.body.stopReason], [200, 'ready', undefined]);
        assert.ok(server.object('pods', namespace, `${workspace.id}-0`));
    });

    it('deletes a workspace after its final shutdown: its bucket folder is kept as its archive with a record, its objects are gone', async () => {
        const { body: workspace } = await call('POST', '/workspaces/provision', ada, { size: 'medium' });
        const deleted = await call('DELETE', `/workspaces/${workspace.id}`, ada);
        assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
        for (const [plural, name] of [['statefulsets', workspace.id], ['services', workspace.id], ['persistentvolumeclaims', `home-${workspace.id}-0`], ['pods', `${workspace.id}-0`]]) {
            assert.equal(server.object(plural, namespace, name), undefined, `${plural}/${name} is gone`);
        }
        const record = JSON.parse(fs.readFileSync(path.join(bucketDir, 'workspaces', workspace.id, ArchiveRecordName), 'utf8'));
        assert.deepEqual([record.id, record.owner, record.size], [workspace.id, 'user:ada', 'medium']);
        assert.ok(Date.parse(record.archivedAt) > 0);
        const gone = await call('GET', `/workspaces/${workspace.id}`, ada);
        assert.deepEqual([gone.status, gone.body.error], [404, `There is no workspace ${workspace.id}: list yours with GET /workspaces.`]);
    });

    it('refuses what it cannot do with a sentence saying what was wrong, and makes nothing', async () => {
        const before = server.objects('statefulsets', namespace).length;
        const cases: [string, string, string | undefined, unknown, number, RegExp][] = [
            ['POST', '/workspaces/provision', undefined, {}, 401, /^Sign in: send your identity provider's token as "Authorization: Bearer <token>"\.$/],
            ['GET', '/workspaces', 'not-a-token', undefined, 401, /^The token was refused: the credential is not a well-formed token\.$/],
            ['POST', '/workspaces/provision', ada, { size: 'huge' }, 400, /^"huge" is not a workspace size: use small, medium, large\.$/],
            ['POST', '/workspaces/provision', ada, '{"size": ', 400, /^The body is not JSON/],
            ['POST', '/workspaces/provision', ada, [1], 400, /must be a JSON object/],
            ['POST', '/workspaces/provision', ada, { owner: 'user:bob' }, 403, /^Only an admin may provision a workspace for someone else \(user:bob\)/],
            ['GET', '/workspaces?owner=user:bob', ada, undefined, 403, /^Only an admin may list the workspaces of someone else/],
            ['GET', '/workspaces/ws-aaaaaaaaaa', ada, undefined, 404, /^There is no workspace ws-aaaaaaaaaa/],
            ['GET', '/workspaces/..%2Fsecrets', ada, undefined, 404, /is not a workspace id/],
            ['PUT', '/workspaces', ada, {}, 405, /list with GET, provision with POST/],
            ['GET', '/nodes', ada, undefined, 404, /^No such endpoint: GET \/nodes/],
        ];
        for (const [method, route, token, body, status, error] of cases) {
            const answer = await call(method, route, token, body);
            assert.equal(answer.status, status, `${method} ${route}: ${JSON.stringify(answer.body)}`);
            assert.match(answer.body.error, error, `${method} ${route}`);
        }
        assert.equal(server.objects('statefulsets', namespace).length, before, 'nothing was made');
        assert.deepEqual((await fetch(`${fleet.url}/healthz`)).status, 200);
    });
});
