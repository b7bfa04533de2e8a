import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { K8sTestServer } from '@coditect/k8s-test-server';
import { SignJWT } from 'jose';
import { testResultsDir } from '../lib/repo-paths';
import { freePort, StudioContainer } from './studio-container';
import { buildStudioImage, ensureBaseImage, fleetTestImage, imageFacts, ImageFacts, imageLogFile } from './studio-image';

/**
 * The fleet service's image (docker/Dockerfile, target `fleet`), built by buildah and run for real:
 * its entrypoint, as its non-root user, provisions a workspace on the Kubernetes test server
 * through its API and stops on SIGTERM.
 */

const resultsDir = path.join(testResultsDir, 'image');
const log = (message: string) => process.stderr.write(`  [fleet image] ${message}\n`);
const secret = 'the-fleet-image-test-secret-32-characters';

describe('the fleet service\'s container image (docker/Dockerfile, target fleet)', function () {
    let facts: ImageFacts;

    before(async function () {
        this.timeout(60 * 60_000);
        await ensureBaseImage(imageLogFile(resultsDir, 'base-image'), log);
        const build = await buildStudioImage(imageLogFile(resultsDir, 'fleet-image-build'), log, 'fleet');
        log(`built in ${Math.round(build.seconds)} s (${build.cachedSteps} of ${build.steps} steps from the layer cache)`);
        facts = await imageFacts(fleetTestImage);
    });

    it('is the fleet alone: a non-root user, its entrypoint, its port, no studio, no developer tools', () => {
        assert.equal(facts.user, '1000:1000');
        assert.deepEqual(facts.entrypoint, ['node', '/opt/coditect/studio/workspace-backend/lib/fleet/fleet-main.js']);
        assert.deepEqual(facts.exposedPorts, ['8090/tcp']);
        assert.ok(facts.bytes < 600e6, `${Math.round(facts.bytes / 1e6)} MB: the base and the workspace core's dependencies, not the IDE`);
    });

    it('provisions a workspace on Kubernetes through its API, from the template in the image, and stops on SIGTERM', async function () {
        this.timeout(180_000);
        const server = await K8sTestServer.start({ readyDelayMs: 20 });
        const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-image-'));
        let container: StudioContainer | undefined;
        try {
            // The container's user reads the kubeconfig from the mounted folder, as it would a service account's files.
            fs.writeFileSync(path.join(home, 'kubeconfig'), server.kubeconfig('coditect'), { mode: 0o644 });
            const port = await freePort();
            container = await StudioContainer.start({
                image: fleetTestImage, home, logFile: imageLogFile(resultsDir, 'fleet-container'),
                env: {
                    KUBECONFIG: '/home/coditect/kubeconfig', FLEET_PORT: String(port), FLEET_NAMESPACE: 'coditect',
                    STUDIO_AUTH_JWT_SECRET: secret, STUDIO_AUTH_AUDIENCE: 'coditect-studio',
                },
                command: () => facts.entrypoint,
            });
            const url = `http://127.0.0.1:${port}`;
            await container.waitForHealthy(60_000, `${url}/healthz`);
            const token = await new SignJWT({ sub: 'ada', role: 'developer' }).setProtectedHeader({ alg: 'HS256' }).setAudience('coditect-studio')
                .setExpirationTime(Math.floor(Date.now() / 1000) + 600).sign(new TextEncoder().encode(secret));
            const response = await fetch(`${url}/workspaces/provision`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{"size": "small"}' });
            const workspace = await response.json() as { id: string; owner: string; state: string };
            assert.equal(response.status, 201, JSON.stringify(workspace));
            assert.deepEqual([workspace.owner, workspace.state], ['user:ada', 'ready']);
            const statefulSet = server.object('statefulsets', 'coditect', workspace.id)!;
            const studio = (statefulSet.spec.template.spec.containers as { name: string; readinessProbe?: unknown }[]).find(c => c.name === 'studio');
            assert.ok(studio?.readinessProbe, 'made from the template baked into the image (its probes)');

            const stopped = await container.stop('SIGTERM', 30_000);
            assert.equal(stopped.code, 0, container.output());
        } finally {
            await container?.remove();
            await server.stop();
            fs.rmSync(home, { recursive: true, force: true });
        }
    });
});
