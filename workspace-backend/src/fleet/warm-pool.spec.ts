import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { K8sTestServer } from '@coditect/k8s-test-server';
import { fleetTokenOf, startTestFleet, TestFleet } from './fleet-test-support';
import { WarmPool } from './warm-pool';
import type { WorkspaceInfo } from './workspace-info';
import { FleetLabel } from './workspace-manifests';

const namespace = 'warm';

describe('the fleet\'s warm pool: workspaces made ahead, claimed ready by a provision, and replaced', function () {
    this.timeout(60_000);
    let server: K8sTestServer;
    let testFleet: TestFleet;
    let ada: string;
    let bob: string;
    let admin: string;

    /** The pool's workspaces once there are `count` ready ones. */
    async function readyPool(count: number): Promise<WorkspaceInfo[]> {
        const deadline = Date.now() + 20_000;
        for (; ;) {
            const warm = testFleet.fleet.warmPool!.warm();
            if (warm.length === count && warm.every(w => w.state === 'ready')) {
                return warm;
            }
            if (Date.now() > deadline) {
                throw new Error(`the pool has ${warm.map(w => `${w.id} ${w.state}`).join(', ') || 'nothing'}, not ${count} ready`);
            }
            await new Promise(r => setTimeout(r, 50));
        }
    }

    before(async () => {
        server = await K8sTestServer.start({ readyDelayMs: 50 });
        testFleet = await startTestFleet(server, namespace, { FLEET_WARM_POOL: '2', FLEET_WARM_POOL_SIZE: 'small' });
        [ada, bob, admin] = await Promise.all([fleetTokenOf('ada', 'developer'), fleetTokenOf('bob', 'developer'), fleetTokenOf('root', 'admin')]);
    });
    after(async () => {
        await testFleet?.stop();
        await server?.stop();
    });

    it('keeps its count of ready workspaces that are nobody\'s, which only an admin lists', async () => {
        const pool = await readyPool(2);
        assert.ok(pool.every(w => w.owner === '' && w.size === 'small' && w.warm));
        for (const workspace of pool) {
            const statefulSet = server.object('statefulsets', namespace, workspace.id)!;
            assert.equal(statefulSet.metadata.labels?.[FleetLabel.pool], 'warm');
            assert.equal(statefulSet.metadata.labels?.[FleetLabel.owner], undefined);
        }
        assert.deepEqual((await testFleet.call('GET', '/workspaces', ada)).body.workspaces, []);
        const listed = (await testFleet.call('GET', '/workspaces', admin)).body.workspaces as WorkspaceInfo[];
        assert.deepEqual(listed.filter(w => w.warm).map(w => w.id).sort(), pool.map(w => w.id).sort());
        assert.deepEqual(await testFleet.fleet.sweeper!.sweep(), [], 'a warm workspace is never put to sleep');
    });

    it('gives a provision a ready warm workspace without restarting its pod, then makes another', async () => {
        const pool = await readyPool(2);
        const podsBefore = new Map(pool.map(w => [w.id, server.object('pods', namespace, `${w.id}-0`)!.metadata.uid]));
        const provisioned = await testFleet.call('POST', '/workspaces/provision', ada, { size: 'small' });
        assert.equal(provisioned.status, 201, JSON.stringify(provisioned.body));
        const workspace = provisioned.body as WorkspaceInfo;
        assert.ok(podsBefore.has(workspace.id), `${workspace.id} is one of the pool's`);
        assert.deepEqual([workspace.owner, workspace.state, workspace.warm], ['user:ada', 'ready', undefined]);
        assert.equal(server.object('pods', namespace, `${workspace.id}-0`)!.metadata.uid, podsBefore.get(workspace.id), 'the same pod: claiming does not restart it');
        assert.deepEqual((await testFleet.call('GET', '/workspaces', ada)).body.workspaces.map((w: WorkspaceInfo) => w.id), [workspace.id]);

        const refilled = await readyPool(2);
        assert.ok(!refilled.some(w => w.id === workspace.id));
        assert.equal(refilled.filter(w => podsBefore.has(w.id)).length, 1, 'the other warm one is kept, one new one made');
    });

    it('gives two provisions at once two different warm workspaces; a size the pool has not gets a new one', async () => {
        const pool = await readyPool(2);
        const [forAda, forBob] = await Promise.all([
            testFleet.call('POST', '/workspaces/provision', ada, {}),
            testFleet.call('POST', '/workspaces/provision', bob, {}),
        ]);
        assert.deepEqual([forAda.status, forBob.status], [201, 201]);
        assert.notEqual(forAda.body.id, forBob.body.id);
        assert.deepEqual([forAda.body.owner, forBob.body.owner], ['user:ada', 'user:bob']);
        assert.ok(pool.some(w => w.id === forAda.body.id) && pool.some(w => w.id === forBob.body.id), 'both came from the pool');

        await readyPool(2);
        const large = await testFleet.call('POST', '/workspaces/provision', bob, { size: 'large' });
        assert.deepEqual([large.status, large.body.size, large.body.owner], [201, 'large', 'user:bob']);
        assert.equal((await readyPool(2)).some(w => w.id === large.body.id), false, 'a new workspace, the pool untouched');
    });

    it('deletes warm workspaces it no longer needs without archiving them (nobody\'s data)', async () => {
        const pool = await readyPool(2);
        const keeper = testFleet.fleet.warmPool!;
        await keeper.stop();
        // A pool of one, kept by a new keeper: the extra goes.
        const smaller = new WarmPool(testFleet.fleet.registry, testFleet.fleet.service, { count: 1, size: 'small' });
        await smaller.fill();
        const left = smaller.warm();
        assert.equal(left.length, 1);
        const removed = pool.find(w => w.id !== left[0].id)!;
        assert.equal(server.object('statefulsets', namespace, removed.id), undefined);
        assert.equal(fs.existsSync(path.join(testFleet.bucketDir, 'workspaces', removed.id)), false, 'no archive of a warm workspace');
        await smaller.stop();
    });
});
