import assert from 'node:assert/strict';
import { K8sTestServer } from './k8s-test-server';
import { statefulSet, waitFor } from './spec-helpers';

interface Meta { name: string; namespace?: string; resourceVersion: string; labels?: Record<string, string> }
interface List { kind: string; metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number }; items: { metadata: Meta; kind?: string }[] }
interface Event { type: string; object: { kind?: string; code?: number; reason?: string; metadata: Meta } }

/** The wire protocol, spoken without a client library: what any client may rely on. */
describe('K8sTestServer protocol', () => {
    let server: K8sTestServer;
    beforeEach(async () => { server = await K8sTestServer.start({ readyDelayMs: 5, historyLimit: 20, bookmarkIntervalMs: 50 }); });
    afterEach(() => server.stop());

    const call = async <T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; json: T }> => {
        const res = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${server.token}`, 'content-type': contentType }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
        return { status: res.status, json: await res.json() as T };
    };
    const configMap = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels }, data: { k: 'v' } });

    /** Reads a watch until `until` says stop (or the server ends it), then aborts. */
    async function watch(path: string, until: (events: Event[]) => boolean): Promise<Event[]> {
        const abort = new AbortController();
        const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${server.token}` }, signal: abort.signal });
        assert.equal(res.status, 200);
        const events: Event[] = [];
        let buffered = '';
        const decoder = new TextDecoder();
        try {
            for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
                buffered += decoder.decode(chunk, { stream: true });
                let newline: number;
                while ((newline = buffered.indexOf('\n')) >= 0) {
                    events.push(JSON.parse(buffered.slice(0, newline)) as Event);
                    buffered = buffered.slice(newline + 1);
                }
                if (until(events)) {
                    abort.abort();
                    break;
                }
            }
        } catch (error) {
            if ((error as Error).name !== 'AbortError') {
                throw error;
            }
        }
        return events;
    }

    it('serves discovery and version documents', async () => {
        const version = await call<{ major: string; gitVersion: string }>('GET', '/version');
        assert.equal(version.json.major, '1');
        const core = await call<{ resources: { name: string; namespaced: boolean }[] }>('GET', '/api/v1');
        assert.ok(core.json.resources.some(r => r.name === 'pods' && r.namespaced));
        assert.ok(core.json.resources.some(r => r.name === 'namespaces' && !r.namespaced));
        const apps = await call<{ resources: { name: string; kind: string; group?: string }[] }>('GET', '/apis/apps/v1');
        assert.deepEqual(apps.json.resources.find(r => r.name === 'statefulsets/scale'), { name: 'statefulsets/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
        const groups = await call<{ groups: { name: string }[] }>('GET', '/apis');
        assert.deepEqual(groups.json.groups.map(g => g.name), ['apps']);
        assert.equal((await call('GET', '/apis/batch/v1')).status, 404);
    });

    it('lists with label and field selectors, pages with limit and continue, and lists across namespaces', async () => {
        for (const [ns, name, tier] of [['a', 'c1', 'x'], ['a', 'c2', 'y'], ['b', 'c3', 'x'], ['b', 'c4', ''], ['a', 'c5', 'z']]) {
            assert.equal((await call('POST', `/api/v1/namespaces/${ns}/configmaps`, configMap(name, tier ? { tier } : {}))).status, 201);
        }
        const names = (list: List) => list.items.map(i => `${i.metadata.namespace}/${i.metadata.name}`);
        const select = async (query: string) => names((await call<List>('GET', `/api/v1/configmaps?${query}`)).json);
        assert.deepEqual(await select('labelSelector=tier%3Dx'), ['a/c1', 'b/c3']);
        assert.deepEqual(await select('labelSelector=tier%3D%3Dx'), ['a/c1', 'b/c3']);
        assert.deepEqual(await select('labelSelector=tier!%3Dx'), ['a/c2', 'a/c5', 'b/c4']);
        assert.deepEqual(await select('labelSelector=tier'), ['a/c1', 'a/c2', 'a/c5', 'b/c3']);
        assert.deepEqual(await select('labelSelector=!tier'), ['b/c4']);
        assert.deepEqual(await select(`labelSelector=${encodeURIComponent('tier in (x,z)')}`), ['a/c1', 'a/c5', 'b/c3']);
        assert.deepEqual(await select(`labelSelector=${encodeURIComponent('tier notin (x,z),tier')}`), ['a/c2']);
        assert.deepEqual(await select('fieldSelector=metadata.namespace%3Db,metadata.name!%3Dc3'), ['b/c4']);
        const badField = await call<{ reason: string; message: string }>('GET', '/api/v1/configmaps?fieldSelector=spec.foo%3D1');
        assert.equal(badField.status, 400);
        assert.equal(badField.json.message, 'field label not supported: spec.foo');
        assert.equal((await call('GET', `/api/v1/configmaps?labelSelector=${encodeURIComponent('a in x')}`)).status, 400);

        const first = (await call<List>('GET', '/api/v1/namespaces/a/configmaps?limit=2')).json;
        assert.equal(first.kind, 'ConfigMapList');
        assert.equal(first.items[0].kind, undefined, 'list items carry no kind');
        assert.deepEqual(names(first), ['a/c1', 'a/c2']);
        assert.equal(first.metadata.remainingItemCount, 1);
        assert.ok(first.metadata.continue);
        const second = (await call<List>('GET', `/api/v1/namespaces/a/configmaps?limit=2&continue=${encodeURIComponent(first.metadata.continue!)}`)).json;
        assert.deepEqual(names(second), ['a/c5']);
        assert.equal(second.metadata.continue, undefined);
        assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion, 'pages report the first page\'s resourceVersion');

        const namespaces = (await call<List>('GET', '/api/v1/namespaces')).json;
        assert.deepEqual(namespaces.items.map(i => i.metadata.name), ['a', 'b', 'default']);
    });

    it('watches from a resourceVersion, sends bookmarks, and answers a too-old resourceVersion with ERROR 410', async () => {
        const created = await call<{ metadata: Meta }>('POST', '/api/v1/namespaces/default/configmaps', configMap('w1'));
        const rv = created.json.metadata.resourceVersion;
        await call('PATCH', '/api/v1/namespaces/default/configmaps/w1', { data: { k: 'v2' } }, 'application/merge-patch+json');
        await call('DELETE', '/api/v1/namespaces/default/configmaps/w1');
        const resumed = await watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`, events => events.some(e => e.type === 'BOOKMARK'));
        assert.deepEqual(resumed.map(e => e.type), ['MODIFIED', 'DELETED', 'BOOKMARK']);
        assert.ok(Number(resumed[2].object.metadata.resourceVersion) >= Number(resumed[1].object.metadata.resourceVersion));

        // From "now" (no resourceVersion): current objects as ADDED first.
        await call('POST', '/api/v1/namespaces/default/configmaps', configMap('w2'));
        const fromNow = await watch('/api/v1/namespaces/default/configmaps?watch=1', events => events.length >= 1);
        assert.deepEqual(fromNow.map(e => [e.type, e.object.metadata.name]), [['ADDED', 'w2']]);

        for (let i = 0; i < 25; i++) {
            await call('PATCH', '/api/v1/namespaces/default/configmaps/w2', { data: { k: String(i) } }, 'application/merge-patch+json');
        }
        const tooOld = await watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, () => false);
        assert.equal(tooOld.length, 1);
        assert.equal(tooOld[0].type, 'ERROR');
        assert.equal(tooOld[0].object.kind, 'Status');
        assert.equal(tooOld[0].object.code, 410);
        assert.equal(tooOld[0].object.reason, 'Expired');

        const timedOut = await watch('/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1', () => false);
        assert.deepEqual(timedOut.map(e => e.type), ['ADDED'], 'timeoutSeconds ends the watch');
    });

    it('turns MODIFIED into ADDED/DELETED for a watch whose selector the object enters or leaves', async () => {
        await call('POST', '/api/v1/namespaces/default/configmaps', configMap('m', { phase: 'a' }));
        const rv = server.resourceVersion;
        await call('PATCH', '/api/v1/namespaces/default/configmaps/m', { metadata: { labels: { phase: 'b' } } }, 'application/merge-patch+json');
        await call('PATCH', '/api/v1/namespaces/default/configmaps/m', { metadata: { labels: { phase: 'a' } } }, 'application/merge-patch+json');
        const events = await watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&labelSelector=phase%3Da`, e => e.length >= 2);
        assert.deepEqual(events.map(e => e.type), ['DELETED', 'ADDED']);
    });

    it('keeps writes honest: no-op updates are not writes, name mismatches are 400, json-patch test failures are 422', async () => {
        const created = (await call<{ metadata: Meta }>('POST', '/api/v1/namespaces/default/configmaps', configMap('n'))).json;
        const same = await call<{ metadata: Meta }>('PATCH', '/api/v1/namespaces/default/configmaps/n', { data: { k: 'v' } }, 'application/merge-patch+json');
        assert.equal(same.json.metadata.resourceVersion, created.metadata.resourceVersion);
        const renamed = await call<{ reason: string }>('PUT', '/api/v1/namespaces/default/configmaps/n', { metadata: { name: 'other' } });
        assert.equal(renamed.status, 400);
        const failed = await call<{ reason: string; code: number }>('PATCH', '/api/v1/namespaces/default/configmaps/n', [{ op: 'test', path: '/data/k', value: 'nope' }], 'application/json-patch+json');
        assert.equal(failed.status, 422);
        const unknown = await call<{ reason: string }>('PATCH', '/api/v1/namespaces/default/configmaps/n', {}, 'text/plain');
        assert.equal(unknown.status, 415);
        assert.equal((await call('POST', '/api/v1/namespaces/default/configmaps/n', configMap('n'))).status, 405);
        const immutable = await call<{ status: number; message: string }>('PATCH', '/apis/apps/v1/namespaces/default/statefulsets/s', {}, 'application/merge-patch+json');
        assert.equal(immutable.status, 404);
        await call('POST', '/apis/apps/v1/namespaces/default/statefulsets', statefulSet('s', 0));
        const forbidden = await call<{ message: string }>('PATCH', '/apis/apps/v1/namespaces/default/statefulsets/s', { spec: { serviceName: 'changed' } }, 'application/merge-patch+json');
        assert.equal(forbidden.status, 422);
        assert.match(forbidden.json.message, /spec: Forbidden: updates to statefulset spec for fields other than/);
        const secret = await call<{ data: Record<string, string> }>('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 's' }, stringData: { token: 'abc' } });
        assert.deepEqual(secret.json.data, { token: Buffer.from('abc').toString('base64') });
    });

    it('deletes a namespace with its contents', async () => {
        await call('POST', '/apis/apps/v1/namespaces/doomed/statefulsets', statefulSet('s', 1));
        await call('POST', '/api/v1/namespaces/doomed/configmaps', configMap('c'));
        await waitFor('the pod', () => server.object('pods', 'doomed', 's-0'));
        const deleted = await call<{ status: { phase: string } }>('DELETE', '/api/v1/namespaces/doomed');
        assert.equal(deleted.json.status.phase, 'Terminating');
        await waitFor('the namespace to go', () => server.object('namespaces', undefined, 'doomed') === undefined);
        assert.deepEqual([server.objects('pods', 'doomed'), server.objects('configmaps', 'doomed'), server.objects('statefulsets', 'doomed')], [[], [], []]);
    });

    // Capacity, not speed: 300 over HTTP keeps the suite short; the provisioning benchmark runs 10,000.
    it('holds hundreds of StatefulSets, each with a ready pod, and finds one by label', async function () {
        this.timeout(20_000);
        const count = 300;
        // Eight clients at once, as a provisioning benchmark would send them.
        let next = 0;
        await Promise.all(Array.from({ length: 8 }, async () => {
            for (let i = next++; i < count; i = next++) {
                const res = await call('POST', `/apis/apps/v1/namespaces/ns-${i % 10}/statefulsets`, statefulSet(`ws-${i}`, 1));
                assert.equal(res.status, 201);
            }
        }));
        const lastReady = () => (server.object('statefulsets', 'ns-9', `ws-${count - 1}`) as { status: { readyReplicas?: number } }).status.readyReplicas === 1;
        await waitFor('every pod ready', () => lastReady() && server.objects('pods').length === count, 15_000);
        const list = await call<List>('GET', '/apis/apps/v1/statefulsets?labelSelector=workspace%3Dws-123');
        assert.deepEqual(list.json.items.map(i => i.metadata.name), ['ws-123']);
    });
});
