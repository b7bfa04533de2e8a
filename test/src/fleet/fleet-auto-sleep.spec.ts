import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { K8sTestServer } from '@coditect/k8s-test-server';
import { JwtVerifier } from '@coditect/workspace-backend';
import { fleetCredential, resolveFleetConfig, RunningFleet, startFleet } from '@coditect/workspace-backend/fleet';
import { studioAppDir } from '../lib/repo-paths';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { StudioPodRunner } from './studio-pod-runner';
import { SignJWT } from 'jose';

const secret = 'the-fleet-e2e-secret-of-32-characters-long';
const audience = 'coditect-studio';
const namespace = 'coditect';
/** Every pod's studio listens on this port of its own loopback address. */
const podPort = 18_080;

/**
 * The fleet end to end, with the studio's real backend as each pod (the Kubernetes test server
 * runs it through StudioPodRunner): provision, a browser connection that keeps the workspace
 * awake, auto-sleep once nothing does (the studio's own /health says since when), and the
 * owner's next request through the router waking it on the same volume with nothing lost.
 */
describe('the fleet with real studios as its pods: provision, stay awake while connected, sleep when idle, wake on connect', function () {
    this.timeout(300_000);
    let server: K8sTestServer;
    let fleet: RunningFleet;
    let runner: StudioPodRunner;
    let root: string;
    const verifier = new JwtVerifier({ key: { kind: 'secret', secret: new TextEncoder().encode(secret) }, audience, header: 'authorization', roleClaim: 'role' });
    const admin = fleetCredential(verifier.config, undefined);

    before(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-e2e-'));
        runner = new StudioPodRunner({
            appDir: studioAppDir, volumesDir: path.join(root, 'volumes'), port: podPort,
            env: { STUDIO_AUTH: 'jwt', STUDIO_AUTH_JWT_SECRET: secret, STUDIO_AUTH_AUDIENCE: audience, STUDIO_REPLICA_URL: 'off' },
        });
        server = await K8sTestServer.start({ podRunner: runner });
        const kubeConfig = new KubeConfig();
        kubeConfig.loadFromString(server.kubeconfig(namespace));
        fleet = await startFleet({
            ...resolveFleetConfig({ FLEET_NAMESPACE: namespace, FLEET_READY_TIMEOUT_S: '150', FLEET_STOP_TIMEOUT_S: '60' }),
            port: 0, workspaceUrlTemplate: `http://{podIP}:${podPort}`,
            // A second of idleness is enough here; the sweeps are the test's (an hour apart on their own).
            idleMinutes: 1 / 60, sweepIntervalMs: 3_600_000,
        }, verifier, kubeConfig, '127.0.0.1');
    });
    after(async () => {
        await fleet?.stop();
        await server?.stop();
        fs.rmSync(root, { recursive: true, force: true });
    });

    async function activity(podIP: string): Promise<{ connections: number; idleSince: string | null }> {
        const response = await fetch(`http://${podIP}:${podPort}/health`, { headers: { Authorization: `Bearer ${await admin()}` } });
        return (await response.json() as { activity: { connections: number; idleSince: string | null } }).activity;
    }

    it('keeps a connected workspace awake, puts it to sleep once idle, and wakes it for its owner\'s next request, with its files', async () => {
        const provisioned = await fleet.service.provision({ owner: 'user:ada' });
        assert.equal(provisioned.settled, true, `still ${provisioned.workspace.state} after the wait`);
        const workspace = provisioned.workspace;
        assert.equal(workspace.state, 'ready');
        assert.match(workspace.podIP ?? '', /^127\.0\.0\.\d+$/);
        const volume = path.join(root, 'volumes', `${workspace.id}-0`, 'workspace');
        fs.writeFileSync(path.join(volume, 'notes.md'), 'written before the workspace slept\n');

        // A person's tab: the studio's websocket (as its IDE opens it), signed in with the identity provider's token.
        const tab = await StudioRpcClient.connect(`http://${workspace.podIP}:${podPort}`, { headers: { Authorization: `Bearer ${await admin()}` } });
        try {
            const connected = await activity(workspace.podIP!);
            assert.deepEqual([connected.connections, connected.idleSince], [1, null]);
            await new Promise(r => setTimeout(r, 1500));
            assert.deepEqual(await fleet.sweeper!.sweep(), [], 'a connected workspace stays awake however long');
        } finally {
            tab.close();
        }

        // Closed: idle from then on; past the threshold, the sweep stops it (its shutdown: the final sync).
        const idleSince = await pollUntil(async () => (await activity(workspace.podIP!)).idleSince, 30_000);
        await new Promise(r => setTimeout(r, Math.max(0, Date.parse(idleSince) + 1200 - Date.now())));
        assert.deepEqual(await fleet.sweeper!.sweep(), [workspace.id]);
        const asleep = fleet.service.get(workspace.id);
        assert.deepEqual([asleep.state, asleep.stopReason, asleep.podPhase], ['stopped', 'idle', undefined]);
        assert.equal(server.object('pods', namespace, `${workspace.id}-0`), undefined, 'no pod while asleep');

        // Woken on connect, through the router: nobody else wakes it; its owner's page load is told it is
        // waking; a request is held until its studio is ready, then answered by it.
        const at = `${fleet.url}/theia/${workspace.id}`;
        const owner = await tokenOf('ada', 'developer');
        const stranger = await fetch(`${at}/`, { headers: { Accept: 'text/html', Authorization: `Bearer ${await tokenOf('bob', 'developer')}` } });
        assert.deepEqual([stranger.status, (await stranger.text()).includes('only its owner or an admin may open it')], [403, true]);
        assert.equal((await fetch(`${at}/`, { headers: { Accept: 'text/html' } })).status, 401);
        assert.equal(fleet.service.get(workspace.id).state, 'stopped', 'still asleep');
        const pageLoad = await fetch(`${at}/`, { headers: { Accept: 'text/html', Authorization: `Bearer ${owner}` } });
        assert.deepEqual([pageLoad.status, pageLoad.headers.get('refresh')], [202, '2']);
        assert.match(await pageLoad.text(), /Waking ws-[a-z2-7]{10}…/);
        const held = await fetch(`${at}/health?probe=live`, { headers: { Authorization: `Bearer ${owner}` } });
        assert.deepEqual([held.status, await held.json()], [200, { status: 'live' }]);
        const woken = fleet.service.get(workspace.id);
        assert.equal(woken.state, 'ready');
        assert.equal(runner.started.filter(name => name === `${workspace.id}-0`).length, 2, 'a second studio process');
        assert.equal(fs.readFileSync(path.join(volume, 'notes.md'), 'utf8'), 'written before the workspace slept\n');

        // Awake, the router is a proxy: pages and the IDE's websocket reach the studio.
        const reconnectStarted = performance.now();
        const throughRouter = await StudioRpcClient.connect(at, { headers: { Authorization: `Bearer ${owner}` } });
        const reconnectMs = performance.now() - reconnectStarted;
        try {
            assert.equal((await activity(woken.podIP!)).connections, 1, `the websocket reached the studio (in ${Math.round(reconnectMs)} ms)`);
        } finally {
            throughRouter.close();
        }

        // Awake, it is no more anyone's than asleep: a stranger's page and websocket, and a request with no token, are refused.
        const strangerToken = await tokenOf('bob', 'developer');
        const strangerPage = await fetch(`${at}/`, { headers: { Accept: 'text/html', Authorization: `Bearer ${strangerToken}` } });
        assert.deepEqual([strangerPage.status, (await strangerPage.text()).includes('not yours')], [403, true]);
        assert.equal((await fetch(`${at}/health?probe=live`)).status, 401);
        await assert.rejects(StudioRpcClient.connect(at, { headers: { Authorization: `Bearer ${strangerToken}` } }), /websocket refused/);
    });
});

/** The identity provider's token for a person. */
function tokenOf(sub: string, role: 'admin' | 'developer'): Promise<string> {
    return new SignJWT({ sub, role }).setProtectedHeader({ alg: 'HS256' }).setAudience(audience)
        .setExpirationTime(Math.floor(Date.now() / 1000) + 600).sign(new TextEncoder().encode(secret));
}

async function pollUntil<T>(read: () => Promise<T | null | undefined>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (; ;) {
        const value = await read();
        if (value !== null && value !== undefined) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`still nothing after ${timeoutMs} ms`);
        }
        await new Promise(r => setTimeout(r, 200));
    }
}
