import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { K8sTestServer } from './k8s-test-server';
import { statefulSet, waitFor } from './spec-helpers';

/** The Status body of a failed client-node call (client-node hands it over as JSON text). */
function statusOf(error: unknown): { kind: string; code: number; reason: string; message: string; details?: Record<string, unknown> } {
    assert.ok(error instanceof k8s.ApiException, `expected an ApiException, got ${String(error)}`);
    const body = (error as k8s.ApiException<unknown>).body;
    return typeof body === 'string' ? JSON.parse(body) : body as ReturnType<typeof statusOf>;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
    try {
        await promise;
    } catch (error) {
        return error;
    }
    assert.fail('expected the call to fail');
}

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const jsonPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);
const strategicPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
const namespace = 'default';
const stsPath = '/apis/apps/v1/namespaces/default/statefulsets';

describe('K8sTestServer with the real @kubernetes/client-node', () => {
    let server: K8sTestServer;
    let kc: k8s.KubeConfig;
    let apps: k8s.AppsV1Api;
    let core: k8s.CoreV1Api;

    beforeEach(async () => {
        server = await K8sTestServer.start({ readyDelayMs: 5 });
        kc = new k8s.KubeConfig();
        kc.loadFromString(server.kubeconfig());
        apps = kc.makeApiClient(k8s.AppsV1Api);
        core = kc.makeApiClient(k8s.CoreV1Api);
    });

    afterEach(() => server.stop());

    const pods = async (selector: string) => (await core.listNamespacedPod({ namespace, labelSelector: selector })).items;
    const readyPods = async (selector: string) => (await pods(selector)).filter(p => p.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True'));

    it('creates, reads, lists by label, replaces, patches (merge, json, strategic) and deletes a StatefulSet', async () => {
        const created = await apps.createNamespacedStatefulSet({ namespace, body: statefulSet('ws-1', 0, { tier: 'gold' }) as k8s.V1StatefulSet });
        assert.equal(created.metadata?.generation, 1);
        assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
        assert.match(created.metadata?.resourceVersion ?? '', /^\d+$/);
        assert.ok(created.metadata?.creationTimestamp instanceof Date);
        assert.equal(created.spec?.podManagementPolicy, 'OrderedReady', 'defaults are filled in');
        await apps.createNamespacedStatefulSet({ namespace, body: statefulSet('ws-2', 0, { tier: 'silver' }) as k8s.V1StatefulSet });

        const read = await apps.readNamespacedStatefulSet({ name: 'ws-1', namespace });
        assert.equal(read.metadata?.labels?.tier, 'gold');
        const gold = await apps.listNamespacedStatefulSet({ namespace, labelSelector: 'tier=gold' });
        assert.deepEqual(gold.items.map(s => s.metadata?.name), ['ws-1']);
        const notGold = await apps.listNamespacedStatefulSet({ namespace, labelSelector: 'app=workspace,tier notin (gold)' });
        assert.deepEqual(notGold.items.map(s => s.metadata?.name), ['ws-2']);
        assert.match(gold.metadata?.resourceVersion ?? '', /^\d+$/);

        read.metadata!.labels!.tier = 'platinum';
        const replaced = await apps.replaceNamespacedStatefulSet({ name: 'ws-1', namespace, body: read });
        assert.equal(replaced.metadata?.labels?.tier, 'platinum');
        assert.equal(replaced.metadata?.generation, 1, 'a label change is not a spec change');
        assert.ok(Number(replaced.metadata?.resourceVersion) > Number(read.metadata?.resourceVersion));

        const merged = await apps.patchNamespacedStatefulSet({ name: 'ws-1', namespace, body: { metadata: { labels: { tier: null, patched: 'merge' } }, spec: { replicas: 0, minReadySeconds: 3 } } }, mergePatch);
        assert.equal(merged.metadata?.labels?.tier, undefined);
        assert.equal(merged.metadata?.labels?.patched, 'merge');
        assert.equal(merged.metadata?.generation, 2, 'a spec change bumps generation');

        const patched = await apps.patchNamespacedStatefulSet({ name: 'ws-1', namespace, body: [
            { op: 'test', path: '/metadata/labels/patched', value: 'merge' },
            { op: 'replace', path: '/metadata/labels/patched', value: 'json' },
            { op: 'add', path: '/metadata/annotations', value: { note: 'x' } },
        ] }, jsonPatch);
        assert.equal(patched.metadata?.labels?.patched, 'json');
        assert.equal(patched.metadata?.annotations?.note, 'x');

        // Strategic merge: containers and env merge by name instead of being replaced.
        const strategic = await apps.patchNamespacedStatefulSet({ name: 'ws-1', namespace, body: { spec: { template: { spec: { containers: [{ name: 'theia', env: [{ name: 'B', value: '2' }] }] } } } } }, strategicPatch);
        const container = strategic.spec?.template.spec?.containers[0];
        assert.equal(container?.image, 'coditect/workspace:1.0');
        assert.deepEqual(container?.env?.map(e => e.name), ['A', 'B']);

        const deleted = await apps.deleteNamespacedStatefulSet({ name: 'ws-1', namespace });
        // client-node types the answer as V1Status; the server sends the deleted object, as Kubernetes does.
        assert.equal(deleted.kind, 'StatefulSet', 'DELETE answers the deleted object');
        const error = statusOf(await rejection(apps.readNamespacedStatefulSet({ name: 'ws-1', namespace })));
        assert.equal(error.code, 404);
    });

    it('answers a replace with a stale resourceVersion with 409 Conflict, and keeps status out of main-resource writes', async () => {
        await apps.createNamespacedStatefulSet({ namespace, body: statefulSet('ws-1', 0) as k8s.V1StatefulSet });
        const stale = await apps.readNamespacedStatefulSet({ name: 'ws-1', namespace });
        await apps.patchNamespacedStatefulSet({ name: 'ws-1', namespace, body: { metadata: { labels: { touched: 'yes' } } } }, mergePatch);
        stale.spec!.replicas = 0;
        const status = statusOf(await rejection(apps.replaceNamespacedStatefulSet({ name: 'ws-1', namespace, body: stale })));
        assert.deepEqual(status, {
            kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
            message: 'Operation cannot be fulfilled on statefulsets.apps "ws-1": the object has been modified; please apply your changes to the latest version and try again',
            reason: 'Conflict', details: { name: 'ws-1', group: 'apps', kind: 'statefulsets' }, code: 409,
        });

        const fresh = await apps.readNamespacedStatefulSet({ name: 'ws-1', namespace });
        fresh.status = { replicas: 42 };
        const written = await apps.replaceNamespacedStatefulSet({ name: 'ws-1', namespace, body: fresh });
        assert.notEqual(written.status?.replicas, 42, 'status changes only through /status');
        const viaStatus = await apps.patchNamespacedStatefulSetStatus({ name: 'ws-1', namespace, body: { status: { replicas: 42 } } }, mergePatch);
        assert.equal(viaStatus.status?.replicas, 42);
    });

    it('sends Status bodies as Kubernetes does: 404, 409 AlreadyExists, 422 Invalid, 400 malformed JSON, 401 without the token', async () => {
        assert.deepEqual(statusOf(await rejection(apps.readNamespacedStatefulSet({ name: 'nope', namespace }))), {
            kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'statefulsets.apps "nope" not found',
            reason: 'NotFound', details: { name: 'nope', group: 'apps', kind: 'statefulsets' }, code: 404,
        });
        await apps.createNamespacedStatefulSet({ namespace, body: statefulSet('ws-1', 0) as k8s.V1StatefulSet });
        const exists = statusOf(await rejection(apps.createNamespacedStatefulSet({ namespace, body: statefulSet('ws-1', 0) as k8s.V1StatefulSet })));
        assert.equal(exists.code, 409);
        assert.equal(exists.reason, 'AlreadyExists');
        assert.equal(exists.message, 'statefulsets.apps "ws-1" already exists');

        const nameless = statefulSet('x', 0);
        delete (nameless.metadata as Record<string, unknown>).name;
        const invalid = statusOf(await rejection(apps.createNamespacedStatefulSet({ namespace, body: nameless as k8s.V1StatefulSet })));
        assert.equal(invalid.code, 422);
        assert.equal(invalid.reason, 'Invalid');
        assert.equal(invalid.message, 'StatefulSet.apps "" is invalid: metadata.name: Required value: name or generateName is required');
        assert.deepEqual(invalid.details, { name: '', group: 'apps', kind: 'StatefulSet', causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }] });

        const mismatched = statefulSet('ws-bad', 0) as { spec: { selector: unknown } };
        mismatched.spec.selector = { matchLabels: { other: 'x' } };
        const selector = statusOf(await rejection(apps.createNamespacedStatefulSet({ namespace, body: mismatched as k8s.V1StatefulSet })));
        assert.equal(selector.code, 422);
        assert.match(selector.message, /spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/);

        const generated = await apps.createNamespacedStatefulSet({ namespace, body: { ...statefulSet('', 0), metadata: { generateName: 'ws-', labels: { workspace: '' } } } as unknown as k8s.V1StatefulSet });
        assert.match(generated.metadata?.name ?? '', /^ws-[a-z0-9]{5}$/);

        const malformed = await fetch(`${server.url}${stsPath}`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, body: '{"metadata": ' });
        assert.equal(malformed.status, 400);
        const badRequest = await malformed.json() as { reason: string; kind: string };
        assert.equal(badRequest.kind, 'Status');
        assert.equal(badRequest.reason, 'BadRequest');

        const anonymous = new k8s.KubeConfig();
        anonymous.loadFromString(server.kubeconfig().replace(server.token, 'wrong-token'));
        const unauthorized = await rejection(anonymous.makeApiClient(k8s.AppsV1Api).listNamespacedStatefulSet({ namespace }));
        assert.equal((unauthorized as k8s.ApiException<unknown>).code, 401);
        const raw = await fetch(`${server.url}/api/v1/pods`);
        assert.equal(raw.status, 401);
        assert.deepEqual(await raw.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
        assert.deepEqual(server.requests.at(-1), { method: 'GET', path: '/api/v1/pods', query: {}, status: 401 });

        const ssa = await fetch(`${server.url}${stsPath}/ws-1`, { method: 'PATCH', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/apply-patch+yaml' }, body: 'metadata: {}' });
        assert.equal(ssa.status, 415);
        assert.equal((await ssa.json() as { reason: string }).reason, 'UnsupportedMediaType');
    });

    it('runs a StatefulSet: pods from the template become Ready, claims are bound, status follows', async () => {
        await apps.createNamespacedStatefulSet({ namespace, body: statefulSet('ws-1', 2) as k8s.V1StatefulSet });
        const ready = await waitFor('two ready pods', async () => {
            const list = await readyPods('workspace=ws-1');
            return list.length === 2 && list;
        });
        const pod = ready.find(p => p.metadata?.name === 'ws-1-0')!;
        assert.equal(pod.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], 'ws-1-0');
        assert.equal(pod.metadata?.annotations?.['coditect/owner'], 'test');
        assert.equal(pod.metadata?.ownerReferences?.[0].kind, 'StatefulSet');
        assert.equal(pod.metadata?.ownerReferences?.[0].name, 'ws-1');
        assert.equal(pod.status?.phase, 'Running');
        assert.match(pod.status?.podIP ?? '', /^\d+\.\d+\.\d+\.\d+$/);
        assert.equal(pod.status?.containerStatuses?.[0].ready, true);
        assert.equal(pod.spec?.volumes?.find(v => v.name === 'home')?.persistentVolumeClaim?.claimName, 'home-ws-1-0');
        const claims = await core.listNamespacedPersistentVolumeClaim({ namespace });
        assert.deepEqual(claims.items.map(c => [c.metadata?.name, c.status?.phase]), [['home-ws-1-0', 'Bound'], ['home-ws-1-1', 'Bound']]);
        const sts = await waitFor('status readyReplicas 2', async () => {
            const s = await apps.readNamespacedStatefulSet({ name: 'ws-1', namespace });
            return s.status?.readyReplicas === 2 && s;
        });
        assert.deepEqual([sts.status?.observedGeneration, sts.status?.replicas, sts.status?.currentReplicas, sts.status?.updatedReplicas, sts.status?.availableReplicas], [1, 2, 2, 2, 2]);
        const running = await core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Running,metadata.namespace=default' });
        assert.equal(running.items.length, 2);
    });

    it('scales through the scale subresource; scale to 0 removes the pods and keeps the claims; delete removes pods, keeps claims', async () => {
        await apps.createNamespacedStatefulSet({ namespace, body: statefulSet('ws-1', 1) as k8s.V1StatefulSet });
        await waitFor('one ready pod', async () => (await readyPods('workspace=ws-1')).length === 1);
        const scale = await apps.readNamespacedStatefulSetScale({ name: 'ws-1', namespace });
        assert.equal(scale.kind, 'Scale');
        assert.equal(scale.apiVersion, 'autoscaling/v1');
        assert.equal(scale.spec?.replicas, 1);
        assert.equal(scale.status?.selector, 'workspace=ws-1');
        scale.spec = { replicas: 3 };
        const replaced = await apps.replaceNamespacedStatefulSetScale({ name: 'ws-1', namespace, body: scale });
        assert.equal(replaced.spec?.replicas, 3);
        assert.equal((await apps.readNamespacedStatefulSet({ name: 'ws-1', namespace })).metadata?.generation, 2);
        await waitFor('three ready pods (OrderedReady, one after another)', async () => (await readyPods('workspace=ws-1')).length === 3);

        const patched = await apps.patchNamespacedStatefulSetScale({ name: 'ws-1', namespace, body: { spec: { replicas: 0 } } }, mergePatch);
        assert.equal(patched.spec?.replicas, 0);
        await waitFor('no pods', async () => (await pods('workspace=ws-1')).length === 0);
        const claims = (await core.listNamespacedPersistentVolumeClaim({ namespace })).items.map(c => c.metadata?.name);
        assert.deepEqual(claims, ['home-ws-1-0', 'home-ws-1-1', 'home-ws-1-2']);
        const sts = await waitFor('status replicas 0', async () => {
            const s = await apps.readNamespacedStatefulSet({ name: 'ws-1', namespace });
            return s.status?.replicas === 0 && s;
        });
        assert.equal(sts.status?.readyReplicas, 0);

        await apps.patchNamespacedStatefulSetScale({ name: 'ws-1', namespace, body: { spec: { replicas: 1 } } }, mergePatch);
        await waitFor('ws-1-0 back', async () => (await readyPods('workspace=ws-1')).length === 1);
        await apps.deleteNamespacedStatefulSet({ name: 'ws-1', namespace });
        await waitFor('pods gone after the owner', async () => (await pods('workspace=ws-1')).length === 0);
        assert.equal((await core.listNamespacedPersistentVolumeClaim({ namespace })).items.length, 3, 'claims outlive the StatefulSet');
    });

    it('a watch sees ADDED, MODIFIED and DELETED in order', async () => {
        const events: [string, string, string][] = [];
        let ended = false;
        const controller = await new k8s.Watch(kc).watch(stsPath, { labelSelector: 'workspace=ws-1' }, (type, object: k8s.V1StatefulSet) => {
            events.push([type, object.metadata?.name ?? '', object.metadata?.resourceVersion ?? '']);
        }, () => { ended = true; });
        try {
            await apps.createNamespacedStatefulSet({ namespace, body: statefulSet('ws-1', 0) as k8s.V1StatefulSet });
            await apps.createNamespacedStatefulSet({ namespace, body: statefulSet('other', 0) as k8s.V1StatefulSet });
            await apps.patchNamespacedStatefulSet({ name: 'ws-1', namespace, body: { metadata: { labels: { x: 'y' } } } }, mergePatch);
            await apps.deleteNamespacedStatefulSet({ name: 'ws-1', namespace });
            await waitFor('DELETED', () => events.some(e => e[0] === 'DELETED'));
            const types = events.map(e => e[0]);
            assert.equal(types[0], 'ADDED');
            assert.equal(types.at(-1), 'DELETED');
            assert.ok(types.slice(1, -1).every(t => t === 'MODIFIED') && types.length >= 3, types.join());
            assert.ok(events.every(e => e[1] === 'ws-1'), 'the label selector filters');
            const rvs = events.map(e => Number(e[2]));
            assert.deepEqual(rvs, [...rvs].sort((a, b) => a - b), 'resourceVersions increase');
        } finally {
            controller.abort();
        }
        await waitFor('the watch to end', () => ended);
    });

    it('an informer keeps its cache in sync and recovers from 410 Gone by relisting', async () => {
        await server.stop();
        server = await K8sTestServer.start({ readyDelayMs: 5, historyLimit: 5 });
        kc.loadFromString(server.kubeconfig());
        apps = kc.makeApiClient(k8s.AppsV1Api);
        await apps.createNamespacedStatefulSet({ namespace, body: statefulSet('keep', 0) as k8s.V1StatefulSet });
        await apps.createNamespacedStatefulSet({ namespace, body: statefulSet('gone', 0) as k8s.V1StatefulSet });
        const informer = k8s.makeInformer(kc, stsPath, () => apps.listNamespacedStatefulSet({ namespace }));
        const deleted: string[] = [];
        informer.on('delete', object => deleted.push(object.metadata?.name ?? ''));
        informer.on('error', () => undefined);
        const names = () => informer.list(namespace).map(s => s.metadata?.name).sort().join(',');
        await informer.start();
        try {
            await apps.createNamespacedStatefulSet({ namespace, body: statefulSet('live', 0) as k8s.V1StatefulSet });
            await waitFor('the watch to deliver a creation', () => names() === 'gone,keep,live');
            const watchesBefore = server.requests.filter(r => r.query.watch).length;

            await informer.stop();
            const seenRv = (informer as unknown as k8s.ListWatch<k8s.V1StatefulSet>).latestResourceVersion();
            // More changes than the history holds while the informer is away: its resourceVersion is too old now.
            await apps.deleteNamespacedStatefulSet({ name: 'gone', namespace });
            for (let i = 0; i < 6; i++) {
                await apps.patchNamespacedStatefulSet({ name: 'keep', namespace, body: { metadata: { labels: { round: String(i) } } } }, mergePatch);
            }
            await apps.createNamespacedStatefulSet({ namespace, body: statefulSet('new', 0) as k8s.V1StatefulSet });
            await informer.start();
            await waitFor('the cache to match the server', () => names() === 'keep,live,new');
            assert.equal(informer.get('keep', namespace)?.metadata?.labels?.round, '5');
            assert.deepEqual(deleted, ['gone'], 'the relist reports what disappeared');
            const resumed = server.requests.filter(r => r.query.watch).slice(watchesBefore);
            assert.equal(resumed[0].query.resourceVersion, seenRv, 'the informer first tried to resume');
            const relisted = server.requests.filter(r => r.method === 'GET' && r.path === stsPath && !r.query.watch).length;
            assert.equal(relisted, 2, 'then listed again after the 410');

            await apps.deleteNamespacedStatefulSet({ name: 'live', namespace });
            await waitFor('the watch after the relist to work', () => names() === 'keep,new');
        } finally {
            await informer.stop();
        }
    });
});
