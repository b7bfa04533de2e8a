import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { K8sTestServer } from './k8s-test-server';
import { waitFor } from './spec-helpers';

/**
 * Fidelity with a client nobody here wrote: the kubectl binary (Debian's kubernetes-client
 * package on the build machines). kubectl sends the kubeconfig's token only over TLS, so these
 * specs also prove the https endpoint and its certificate.
 */
function kubectl(kubeconfig: string, args: string[], stdin?: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 15_000, env: { ...process.env, KUBECACHEDIR: path.join(path.dirname(kubeconfig), 'cache') } }, (error, stdout, stderr) => {
            if (error) {
                if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
                    reject(new Error('kubectl is not installed: install Debian\'s kubernetes-client package (apt-get install kubernetes-client) — these specs test the server against it'));
                } else {
                    reject(new Error(`kubectl ${args.join(' ')} failed: ${error.message}\n${stderr}`));
                }
                return;
            }
            resolve(stdout);
        });
        if (stdin !== undefined) {
            child.stdin?.end(stdin);
        }
    });
}

function manifest(tier: string): string {
    return `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector: {app: web}
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  labels: {app: web, tier: ${tier}}
spec:
  serviceName: web
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: shared
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`;
}

describe('K8sTestServer with the kubectl binary', function () {
    this.timeout(30_000);
    let server: K8sTestServer;
    let dir: string;
    let config: string;

    before(async () => {
        server = await K8sTestServer.start({ readyDelayMs: 5 });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-test-server-'));
        config = path.join(dir, 'kubeconfig');
        server.writeKubeconfig(config);
    });

    after(async () => {
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('gets, applies (created, then configured), scales, selects pods and deletes', async () => {
        const empty = JSON.parse(await kubectl(config, ['get', 'statefulsets', '-o', 'json'])) as { items: unknown[] };
        assert.deepEqual(empty.items, []);

        const file = path.join(dir, 'app.yaml');
        fs.writeFileSync(file, manifest('one'));
        const created = await kubectl(config, ['apply', '-f', file]);
        assert.match(created, /service\/web created/);
        assert.match(created, /statefulset\.apps\/web created/);
        assert.match(created, /persistentvolumeclaim\/shared created/);
        fs.writeFileSync(file, manifest('two'));
        const configured = await kubectl(config, ['apply', '-f', file]);
        assert.match(configured, /statefulset\.apps\/web configured/);
        assert.match(configured, /service\/web unchanged/);
        const sts = server.object('statefulsets', 'default', 'web') as { metadata: { labels: Record<string, string>; annotations: Record<string, string> } };
        assert.equal(sts.metadata.labels.tier, 'two');
        assert.ok(sts.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
        assert.ok(server.requests.some(r => r.method === 'PATCH' && r.path === '/apis/apps/v1/namespaces/default/statefulsets/web' && r.status === 200));

        const listed = JSON.parse(await kubectl(config, ['get', 'statefulsets', '-o', 'json'])) as { items: { metadata: { name: string } }[] };
        assert.deepEqual(listed.items.map(i => i.metadata.name), ['web']);

        const names = () => kubectl(config, ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}']);
        await waitFor('web-0 running', async () => (await names()).trim() === 'web-0=Running');
        assert.match(await kubectl(config, ['scale', 'statefulset', 'web', '--replicas=0']), /statefulset\.apps\/web scaled/);
        await waitFor('no pods', async () => (await names()).trim() === '');
        await kubectl(config, ['scale', 'statefulset', 'web', '--replicas=1']);
        await waitFor('web-0 back', async () => (await names()).trim() === 'web-0=Running');
        const claims = await kubectl(config, ['get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}']);
        assert.equal(claims, 'data-web-0 shared');

        assert.match(await kubectl(config, ['delete', 'statefulset', 'web']), /statefulset\.apps "web" deleted/);
        await waitFor('pods gone', async () => (await names()).trim() === '');
        assert.equal(server.object('statefulsets', 'default', 'web'), undefined);
        const missing = await kubectl(config, ['get', 'statefulset', 'web']).then(() => 'found', (error: Error) => error.message);
        assert.match(missing, /statefulsets\.apps "web" not found/);
    });
});
