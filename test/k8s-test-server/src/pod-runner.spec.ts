import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { K8sTestServer } from './k8s-test-server';
import { PodRunner, PodSnapshot, portAnnotation, RunningPod } from './pod-runner';
import { statefulSet, waitFor } from './spec-helpers';

interface Pod {
    metadata: { name: string; annotations?: Record<string, string>; deletionTimestamp?: string };
    status: { phase: string; podIP?: string; message?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { ready: boolean }[] };
}

async function api(server: K8sTestServer, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; json: unknown }> {
    const res = await fetch(server.url + path, {
        method,
        headers: { authorization: `Bearer ${server.token}`, 'content-type': contentType },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
}

const ready = (pod: Pod | undefined) => pod?.status.conditions?.find(c => c.type === 'Ready')?.status;

describe('K8sTestServer pod runner', () => {
    let server: K8sTestServer | undefined;
    afterEach(async () => {
        await server?.stop();
        server = undefined;
    });

    it('runs each pod as a real process: Running and Ready with its IP and port, stopped before the pod disappears', async () => {
        const started: PodSnapshot[] = [];
        const stopped: string[] = [];
        const runner: PodRunner = {
            async start(pod) {
                started.push(pod);
                const process = http.createServer((_req, res) => res.end(`hello from ${pod.name}`));
                await new Promise<void>(resolve => process.listen(0, '127.0.0.1', resolve));
                return {
                    ready: Promise.resolve({ podIP: '127.0.0.1', port: (process.address() as AddressInfo).port }),
                    stop: async () => {
                        await new Promise(resolve => process.close(resolve));
                        stopped.push(pod.name);
                    },
                };
            },
        };
        server = await K8sTestServer.start({ podRunner: runner });
        const s = server;
        assert.equal((await api(s, 'POST', '/apis/apps/v1/namespaces/team/statefulsets', statefulSet('ws-1', 1))).status, 201);
        const pod = await waitFor('a ready pod', () => {
            const p = s.object('pods', 'team', 'ws-1-0') as Pod | undefined;
            return ready(p) === 'True' && p;
        });
        assert.equal(pod.status.phase, 'Running');
        assert.equal(pod.status.podIP, '127.0.0.1');
        assert.equal(started[0].statefulSet?.name, 'ws-1');
        assert.equal(started[0].statefulSet?.ordinal, 0);
        assert.equal(started[0].labels.workspace, 'ws-1');
        const port = pod.metadata.annotations?.[portAnnotation];
        assert.ok(port, 'the port is published on the pod');
        assert.equal(await (await fetch(`http://${pod.status.podIP}:${port}/`)).text(), 'hello from ws-1-0');
        assert.ok(s.object('namespaces', undefined, 'team'), 'the namespace sprang into existence');

        // Deletion is graceful: the pod is marked, the process stops, then the object goes.
        const deleted = await api(s, 'DELETE', '/api/v1/namespaces/team/pods/ws-1-0');
        assert.equal(deleted.status, 200);
        assert.ok((deleted.json as Pod).metadata.deletionTimestamp);
        await waitFor('the pod to be replaced', () => (s.object('pods', 'team', 'ws-1-0') as Pod | undefined)?.metadata.deletionTimestamp === undefined && stopped.length === 1);
        assert.deepEqual(stopped, ['ws-1-0']);
        await waitFor('the replacement to run', () => started.length === 2 && ready(s.object('pods', 'team', 'ws-1-0') as Pod) === 'True');
        await s.stop();
        assert.deepEqual(stopped, ['ws-1-0', 'ws-1-0'], 'stop() stops the running pods');
    });

    it('marks a pod Failed when the runner cannot make it ready, or its process exits', async () => {
        let exit: (reason: string) => void = () => undefined;
        const runner: PodRunner = {
            async start(pod): Promise<RunningPod> {
                if (pod.name === 'broken-0') {
                    return { ready: Promise.reject(new Error('image pull failed: nope')), stop: async () => undefined };
                }
                return {
                    ready: Promise.resolve({ podIP: '127.0.0.1' }),
                    exited: new Promise<string>(resolve => { exit = resolve; }),
                    stop: async () => undefined,
                };
            },
        };
        server = await K8sTestServer.start({ podRunner: runner });
        const s = server;
        await api(s, 'POST', '/apis/apps/v1/namespaces/default/statefulsets', statefulSet('broken', 1));
        await api(s, 'POST', '/apis/apps/v1/namespaces/default/statefulsets', statefulSet('crashy', 1));
        const broken = await waitFor('broken-0 to fail', () => {
            const p = s.object('pods', 'default', 'broken-0') as Pod | undefined;
            return p?.status.phase === 'Failed' && p;
        });
        assert.equal(broken.status.message, 'image pull failed: nope');
        assert.equal(ready(broken), 'False');
        assert.equal(broken.status.containerStatuses?.[0].ready, false);

        await waitFor('crashy-0 to be ready', () => ready(s.object('pods', 'default', 'crashy-0') as Pod) === 'True');
        exit('exit code 137: OOMKilled');
        const crashed = await waitFor('crashy-0 to fail', () => {
            const p = s.object('pods', 'default', 'crashy-0') as Pod | undefined;
            return p?.status.phase === 'Failed' && p;
        });
        assert.equal(crashed.status.message, 'exit code 137: OOMKilled');
        assert.equal(ready(crashed), 'False');
        await waitFor('the StatefulSet to count no ready replica', () => (s.object('statefulsets', 'default', 'crashy') as { status: { readyReplicas: number } }).status.readyReplicas === 0);
    });
});
