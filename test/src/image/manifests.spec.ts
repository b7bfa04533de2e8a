import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { repoRoot } from '../lib/repo-paths';

/**
 * The Kubernetes manifests (docker/k8s) and cloudbuild.yaml: every object validated against the
 * Kubernetes schemas with `kubernetes-models`, then the promises the issue makes checked field by
 * field, and the files checked against each other and the Dockerfile (ports, user, build args).
 */

const k8sDir = path.join(repoRoot, 'docker', 'k8s');
const dockerfile = fs.readFileSync(path.join(repoRoot, 'docker', 'Dockerfile'), 'utf8');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = Record<string, any>;

/** kubernetes-models is ESM-only and its exports have no `require` condition: load it with a real import(). */
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;

/** The model class for each kind the manifests use. A kind missing here fails the spec: add it. */
const models: Record<string, string> = {
    'apps/v1/StatefulSet': 'kubernetes-models/apps/v1/StatefulSet',
    'v1/Service': 'kubernetes-models/v1/Service',
    'v1/ServiceAccount': 'kubernetes-models/v1/ServiceAccount',
    'networking.k8s.io/v1/Ingress': 'kubernetes-models/networking.k8s.io/v1/Ingress',
    'networking.k8s.io/v1/NetworkPolicy': 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
    'apps/v1/Deployment': 'kubernetes-models/apps/v1/Deployment',
    'rbac.authorization.k8s.io/v1/Role': 'kubernetes-models/rbac.authorization.k8s.io/v1/Role',
    'rbac.authorization.k8s.io/v1/RoleBinding': 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding',
};
/** GKE's custom resources: no schema in kubernetes-models, checked field by field below. */
const customResources = new Set(['cloud.google.com/v1/BackendConfig']);

/** The objects of the kustomization in `dir` (docker/k8s: one studio; docker/k8s/fleet: the fleet service). */
function loadManifests(dir = k8sDir): { file: string; doc: Manifest }[] {
    const kustomization = parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    return kustomization.resources.flatMap(file => parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map(document => {
        assert.deepEqual(document.errors, [], `${file} is valid YAML`);
        return { file, doc: document.toJS() as Manifest };
    }));
}

function one(manifests: { doc: Manifest }[], kind: string): Manifest {
    const found = manifests.filter(m => m.doc.kind === kind);
    assert.equal(found.length, 1, `exactly one ${kind}`);
    return found[0].doc;
}

function dockerfileArg(name: string): string | undefined {
    return new RegExp(`^ARG ${name}=(\\S+)`, 'm').exec(dockerfile)?.[1];
}

/** The Dockerfile's lines of one stage (`FROM … AS <name>` to the next FROM). */
function dockerfileStage(name: string): string {
    const stages = dockerfile.split(/^(?=FROM )/m);
    const found = stages.find(stage => new RegExp(`^FROM \\S+ AS ${name}\\s*$`, 'm').test(stage.split('\n')[0]));
    assert.ok(found, `the Dockerfile has a stage ${name}`);
    return found;
}

/** Validates each object against the Kubernetes schema of its kind (kubernetes-models). */
async function validateAll(manifests: { file: string; doc: Manifest }[]): Promise<void> {
    for (const { file, doc } of manifests) {
        const key = `${doc.apiVersion}/${doc.kind}`;
        if (customResources.has(key)) {
            continue;
        }
        assert.ok(models[key], `${file}: no schema known for ${key}; add its kubernetes-models class to this spec`);
        const module = await importEsm(models[key]);
        const Model = module[doc.kind] as new (data: Manifest) => { validate(): void };
        assert.doesNotThrow(() => new Model(doc).validate(), `${file}: ${key} ${doc.metadata?.name}`);
    }
}

describe('Kubernetes manifests (docker/k8s)', () => {
    const manifests = loadManifests();
    const statefulSet = one(manifests, 'StatefulSet');
    const service = one(manifests, 'Service');
    const ingress = one(manifests, 'Ingress');
    const backendConfig = one(manifests, 'BackendConfig');
    const pod = statefulSet.spec.template.spec;
    const studio = pod.containers.find((c: Manifest) => c.name === 'studio');
    const shutdownMs = Number(studio.env.find((e: Manifest) => e.name === 'STUDIO_SHUTDOWN_TIMEOUT_MS').value);

    it('lists every manifest file in kustomization.yaml', () => {
        const listed = new Set((parse(fs.readFileSync(path.join(k8sDir, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources);
        const files = fs.readdirSync(k8sDir).filter(f => f.endsWith('.yaml') && f !== 'kustomization.yaml');
        assert.deepEqual(files.filter(f => !listed.has(f)), [], 'files kustomize would not apply');
    });

    it('validates every object against the Kubernetes schema of its kind', () => validateAll(manifests));

    it('catches a schema violation (the validation is not a no-op)', async () => {
        const { StatefulSet } = await importEsm(models['apps/v1/StatefulSet']) as { StatefulSet: new (data: Manifest) => { validate(): void } };
        const broken = structuredClone(statefulSet);
        broken.spec.template.spec.containers[0].readinessProbe.httpGet.port = { name: 'http' };
        delete broken.spec.selector;
        assert.throws(() => new StatefulSet(broken).validate(), /selector|port/);
    });

    it('runs one replica with 2 vCPU and 4 GiB as limits', () => {
        assert.equal(statefulSet.spec.replicas, 1);
        assert.equal(studio.resources.limits.cpu, '2');
        assert.equal(studio.resources.limits.memory, '4Gi');
    });

    it('mounts the bucket with the GKE GCS FUSE CSI driver, and a persistent volume for local disk', () => {
        assert.equal(statefulSet.spec.template.metadata.annotations['gke-gcsfuse/volumes'], 'true', 'the sidecar is injected');
        const bucket = pod.volumes.find((v: Manifest) => v.csi?.driver === 'gcsfuse.csi.storage.gke.io');
        assert.ok(bucket?.csi.volumeAttributes.bucketName, 'an ephemeral GCS FUSE volume with a bucket');
        const bucketMount = studio.volumeMounts.find((m: Manifest) => m.name === bucket.name);
        const replicaUrl = studio.env.find((e: Manifest) => e.name === 'STUDIO_REPLICA_URL').value;
        assert.equal(replicaUrl, `file://${bucketMount.mountPath}`, 'the replica is the bucket');

        const claim = statefulSet.spec.volumeClaimTemplates[0];
        assert.deepEqual(claim.spec.accessModes, ['ReadWriteOnce']);
        const home = studio.volumeMounts.find((m: Manifest) => m.name === claim.metadata.name);
        assert.equal(home?.mountPath, '/home/coditect', 'the workspace, databases and dot files live on the persistent volume');
    });

    it('probes /health on the container\'s nginx port: readiness on /health, liveness and start-up on the live probe', () => {
        const port = studio.ports.find((p: Manifest) => p.name === 'http');
        assert.equal(port.containerPort, Number(/^EXPOSE (\d+)/m.exec(dockerfileStage('runtime'))?.[1]), 'the port the image exposes');
        assert.deepEqual(studio.readinessProbe.httpGet, { path: '/health', port: 'http' });
        assert.deepEqual(studio.livenessProbe.httpGet, { path: '/health?probe=live', port: 'http' });
        assert.deepEqual(studio.startupProbe.httpGet, { path: '/health?probe=live', port: 'http' });
        assert.ok(studio.startupProbe.periodSeconds * studio.startupProbe.failureThreshold >= 300, 'a large restore gets five minutes');
    });

    it('gives the final sync its time: grace period > STUDIO_SHUTDOWN_TIMEOUT_MS + 10 s', () => {
        assert.ok(shutdownMs >= 30_000, `the shutdown budget (${shutdownMs} ms) fits a final sync`);
        assert.ok(statefulSet.spec.template.spec.terminationGracePeriodSeconds * 1000 >= shutdownMs + 10_000,
            `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} vs STUDIO_SHUTDOWN_TIMEOUT_MS ${shutdownMs}`);
    });

    it('signs people in with JWT, never with a local token that would be printed to the log', () => {
        const env = Object.fromEntries(studio.env.map((e: Manifest) => [e.name, e.value]));
        assert.equal(env.STUDIO_AUTH, 'jwt');
        assert.ok(env.STUDIO_AUTH_AUDIENCE, 'an audience');
        assert.ok(env.STUDIO_AUTH_JWKS_URL?.startsWith('https://'), 'keys from the identity provider');
        assert.equal(env.STUDIO_AUTH_TOKEN, undefined);
    });

    it('runs as the image\'s non-root user', () => {
        assert.equal(pod.securityContext.runAsNonRoot, true);
        assert.equal(String(pod.securityContext.runAsUser), dockerfileArg('STUDIO_UID'));
        assert.equal(String(pod.securityContext.fsGroup), dockerfileArg('STUDIO_UID'), 'the volume belongs to that user');
    });

    it('lets agents\' commands be sandboxed (bubblewrap needs user namespaces and mounts in them) without granting a capability', () => {
        const context = studio.securityContext;
        assert.deepEqual(context.capabilities.drop, ['ALL']);
        assert.equal(context.allowPrivilegeEscalation, false);
        assert.equal(context.capabilities.add, undefined);
        assert.equal(context.privileged, undefined);
        assert.equal(context.seccompProfile.type, 'Unconfined', 'RuntimeDefault refuses unshare(CLONE_NEWUSER)');
        assert.equal(context.appArmorProfile.type, 'Unconfined', 'the default AppArmor profile refuses mount');
        assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault', 'any other container of the pod keeps the default');
    });

    it('routes coditect.ai/theia through the Service to the pod, with websockets kept open', () => {
        assert.deepEqual(service.spec.selector, statefulSet.spec.selector.matchLabels);
        assert.equal(statefulSet.spec.serviceName, service.metadata.name);
        assert.equal(service.spec.ports[0].targetPort, 'http');

        const route = ingress.spec.rules[0].http.paths[0];
        assert.equal(route.path, '/theia');
        assert.equal(route.pathType, 'Prefix');
        assert.equal(route.backend.service.name, service.metadata.name);
        assert.ok(service.spec.ports.some((p: Manifest) => p.name === route.backend.service.port.name));
        const annotations = ingress.metadata.annotations;
        for (const name of ['proxy-read-timeout', 'proxy-send-timeout']) {
            assert.ok(Number(annotations[`nginx.ingress.kubernetes.io/${name}`]) >= 3600, `${name} keeps an idle websocket`);
        }
    });

    it('keeps websockets open on GKE\'s own ingress too (BackendConfig)', () => {
        assert.equal(JSON.parse(service.metadata.annotations['cloud.google.com/backend-config']).default, backendConfig.metadata.name);
        assert.ok(backendConfig.spec.timeoutSec >= 3600);
        assert.equal(backendConfig.spec.healthCheck.requestPath, '/health');
        assert.equal(backendConfig.spec.healthCheck.port, studio.ports[0].containerPort);
    });
});

describe('docker/cloudbuild.yaml', () => {
    const build = parse(fs.readFileSync(path.join(repoRoot, 'docker', 'cloudbuild.yaml'), 'utf8')) as Manifest;
    const dockerBuilds = (build.steps as Manifest[]).filter(s => s.args?.[0] === 'build');
    const arg = (step: Manifest, prefix: string) => (step.args as string[]).filter(a => a.startsWith(prefix));

    it('builds on E2_HIGHCPU_32 within 3600 s, with BuildKit', () => {
        assert.equal(build.options.machineType, 'E2_HIGHCPU_32');
        assert.equal(build.timeout, '3600s');
        assert.ok(build.options.env.includes('DOCKER_BUILDKIT=1'));
    });

    it('caches inline and from the last image, for the build stage and the final image', () => {
        assert.ok(dockerBuilds.length >= 1);
        for (const step of dockerBuilds) {
            assert.deepEqual(arg(step, '--build-arg=BUILDKIT_INLINE_CACHE='), ['--build-arg=BUILDKIT_INLINE_CACHE=1'], step.id);
            assert.ok(arg(step, '--cache-from=').length >= 1, `${step.id} uses --cache-from`);
        }
        const final = dockerBuilds.find(s => arg(s, '--target=').length === 0)!;
        assert.ok(arg(final, '--cache-from=').some(a => a.endsWith(':latest')), 'the final image reuses the last one');
        assert.ok((build.images as string[]).some(i => i.endsWith(':latest')), 'and pushes itself as the next one');
    });

    it('sizes the Node heap for the build, through an argument the Dockerfile reads', () => {
        assert.match(build.substitutions._NODE_OPTIONS, /^--max-old-space-size=\d{4,}$/);
        for (const step of dockerBuilds) {
            for (const buildArg of arg(step, '--build-arg=').map(a => a.slice('--build-arg='.length).split('=')[0])) {
                if (buildArg !== 'BUILDKIT_INLINE_CACHE') {
                    assert.ok(dockerfileArg(buildArg) !== undefined, `the Dockerfile declares ARG ${buildArg}`);
                }
            }
            assert.ok(arg(step, '--build-arg=BUILD_NODE_OPTIONS=').length === 1, `${step.id} passes the heap size`);
            assert.ok(fs.existsSync(path.join(repoRoot, arg(step, '--file=')[0].slice('--file='.length))), 'the Dockerfile it names exists');
        }
        assert.match(dockerfile, /ENV NODE_OPTIONS=\$\{BUILD_NODE_OPTIONS\}/);
    });

    it('reports the image size and fails past 40 layers', () => {
        const report = (build.steps as Manifest[]).find(s => s.id === 'report');
        assert.match(report?.args.join('\n'), /\.Size/);
        assert.match(report?.args.join('\n'), /-ge 40/);
    });
});

describe('docker/Dockerfile', () => {
    it('builds on a Node 22 bookworm base given as a build argument', () => {
        assert.equal(dockerfileArg('BASE_IMAGE'), 'node:22-bookworm-slim');
        const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map(m => m[1]);
        assert.ok(froms.every(f => f === '${BASE_IMAGE}' || ['tools'].includes(f)), `every stage starts from the base: ${froms.join(', ')}`);
    });

    it('runs as a non-root user under tini, with a HEALTHCHECK on /health', () => {
        const runtime = dockerfileStage('runtime');
        assert.match(runtime, /^USER coditect$/m);
        assert.match(runtime, /^ENTRYPOINT \["\/usr\/bin\/tini", "--", /m);
        assert.match(runtime, /^HEALTHCHECK [^\n]*\\\n\s+CMD curl -fsS [^\n]*\/health/m);
    });

    it('builds the studio for production', () => {
        assert.match(dockerfile, /theia build --mode production/);
    });
});

describe('the fleet service\'s manifests (docker/k8s/fleet)', () => {
    const fleetDir = path.join(k8sDir, 'fleet');
    const manifests = loadManifests(fleetDir);
    const deployment = one(manifests, 'Deployment');
    const role = one(manifests, 'Role');
    const binding = one(manifests, 'RoleBinding');
    const service = one(manifests, 'Service');
    const ingress = one(manifests, 'Ingress');
    const networkPolicy = one(manifests, 'NetworkPolicy');
    const pod = deployment.spec.template.spec;
    const fleet = pod.containers[0];
    const env = Object.fromEntries(fleet.env.map((e: Manifest) => [e.name, e.value]));
    const stage = dockerfileStage('fleet');
    const workspaceTemplate = one(loadManifests(), 'StatefulSet');

    it('lists every manifest file in its kustomization.yaml, and validates every object against its kind\'s schema', async () => {
        const listed = new Set((parse(fs.readFileSync(path.join(fleetDir, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources);
        assert.deepEqual(fs.readdirSync(fleetDir).filter(f => f.endsWith('.yaml') && f !== 'kustomization.yaml' && !listed.has(f)), []);
        await validateAll(manifests);
    });

    it('grants the fleet only what it does, in its namespace: no Secrets, no wildcards, nothing cluster-wide', () => {
        const granted = Object.fromEntries((role.rules as Manifest[]).flatMap(rule => (rule.resources as string[]).map(resource => [`${rule.apiGroups.join(',')}/${resource}`, [...rule.verbs].sort()])));
        assert.deepEqual(granted, {
            'apps/statefulsets': ['create', 'delete', 'get', 'list', 'patch', 'watch'],
            '/services': ['create', 'delete'],
            '/persistentvolumeclaims': ['delete'],
            '/pods': ['get', 'list', 'watch'],
        });
        assert.deepEqual([binding.roleRef.kind, binding.roleRef.name], ['Role', role.metadata.name]);
        assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: pod.serviceAccountName }]);
        assert.ok(manifests.some(m => m.doc.kind === 'ServiceAccount' && m.doc.metadata.name === pod.serviceAccountName));
        assert.equal(manifests.some(m => m.doc.kind === 'ClusterRole' || m.doc.kind === 'ClusterRoleBinding'), false);
    });

    it('runs one fleet at a time (one keeper of the warm pool and the sweep), as the image\'s user, on the image\'s port', () => {
        assert.equal(deployment.spec.replicas, 1);
        assert.equal(deployment.spec.strategy.type, 'Recreate');
        assert.match(fleet.image, /\/fleet:/);
        const exposed = Number(/^EXPOSE (\d+)/m.exec(stage)?.[1]);
        assert.deepEqual([fleet.ports[0].containerPort, Number(env.FLEET_PORT)], [exposed, exposed]);
        assert.equal(`${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`, /^USER (\S+)$/m.exec(stage)?.[1]);
        assert.equal(pod.securityContext.runAsNonRoot, true);
        assert.deepEqual(fleet.securityContext.capabilities.drop, ['ALL']);
        assert.equal(fleet.securityContext.readOnlyRootFilesystem, true);
        assert.deepEqual([fleet.readinessProbe.httpGet.path, fleet.livenessProbe.httpGet.path], ['/healthz', '/healthz']);
        assert.deepEqual(fleet.env.find((e: Manifest) => e.name === 'FLEET_NAMESPACE').valueFrom, { fieldRef: { fieldPath: 'metadata.namespace' } });
        assert.ok(env.STUDIO_AUTH_AUDIENCE && env.STUDIO_AUTH_JWKS_URL?.startsWith('https://'), 'the studios\' sign-in');
    });

    it('routes coditect.ai/theia (the workspaces, through the router), /workspaces (the API) and /app (v1, through its gateway) to the fleet', () => {
        assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
        const paths = ingress.spec.rules[0].http.paths as Manifest[];
        assert.deepEqual(paths.map(p => p.path).sort(), ['/app', '/theia', '/workspaces']);
        for (const route of paths) {
            assert.equal(route.backend.service.name, service.metadata.name);
            assert.ok(service.spec.ports.some((p: Manifest) => p.name === route.backend.service.port.name));
        }
        assert.equal(new URL(env.FLEET_BASE_URL).pathname, '/theia', 'the router serves the path the Ingress sends it');
        assert.equal(env.FLEET_V1_PATH, '/app', 'the v1 gateway serves the path the Ingress sends it');
        assert.ok(Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 3600);
    });

    it('lets only the fleet\'s pods reach a workspace\'s studio port', () => {
        assert.deepEqual(networkPolicy.spec.podSelector.matchLabels, { 'app.kubernetes.io/name': 'coditect-workspace' });
        assert.deepEqual(networkPolicy.spec.policyTypes, ['Ingress']);
        assert.equal(networkPolicy.spec.ingress.length, 1);
        const [rule] = networkPolicy.spec.ingress;
        assert.deepEqual(rule.from, [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': deployment.spec.template.metadata.labels['app.kubernetes.io/name'] } } }]);
        const studioPort = workspaceTemplate.spec.template.spec.containers.find((c: Manifest) => c.name === 'studio').ports[0].containerPort;
        assert.deepEqual(rule.ports, [{ port: studioPort, protocol: 'TCP' }]);
    });

    it('is built from the Dockerfile\'s fleet stage, with the workspace template where the fleet looks for it', () => {
        assert.match(stage, /^ENTRYPOINT \["node", "\/opt\/coditect\/studio\/workspace-backend\/lib\/fleet\/fleet-main\.js"\]$/m);
        assert.match(stage, /^COPY docker\/k8s\/statefulset\.yaml docker\/k8s\/service\.yaml \/opt\/coditect\/studio\/docker\/k8s\/$/m);
        const dockerignore = fs.readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8');
        assert.match(dockerignore, /^!docker\/k8s\/statefulset\.yaml$/m);
        assert.match(dockerignore, /^!docker\/k8s\/service\.yaml$/m);
    });
});

describe('GCS lifecycle rule for the replica bucket (docker/k8s/gcs-lifecycle.json)', () => {
    // Applied with `gcloud storage buckets update gs://coditect-workspaces --lifecycle-file=docker/k8s/gcs-lifecycle.json` (README.md).
    const lifecycle = JSON.parse(fs.readFileSync(path.join(k8sDir, 'gcs-lifecycle.json'), 'utf8')) as { lifecycle: { rule: Manifest[] } };
    const statefulSet = loadManifests().find(m => m.doc.kind === 'StatefulSet')!.doc;

    it('moves generation objects (snapshots and segments) to Nearline after 30 days, and nothing else', () => {
        assert.equal(lifecycle.lifecycle.rule.length, 1);
        const [rule] = lifecycle.lifecycle.rule;
        assert.deepEqual(rule.action, { type: 'SetStorageClass', storageClass: 'NEARLINE' });
        assert.equal(rule.condition.age, 30);
        assert.deepEqual(rule.condition.matchesStorageClass, ['STANDARD'], 'once: an object already in Nearline is not matched again');
        // Only generation objects: the lease, restore points, file index and blobs stay in Standard (read often, small).
        assert.deepEqual([...rule.condition.matchesSuffix].sort(), ['.segment', '.snapshot']);
        assert.equal(Object.keys(rule.condition).filter(k => !['age', 'matchesStorageClass', 'matchesPrefix', 'matchesSuffix'].includes(k)).length, 0, 'no deletion or other condition');
    });

    it('covers the folder the StatefulSet mounts the replica from', () => {
        const volume = statefulSet.spec.template.spec.volumes.find((v: Manifest) => v.name === 'replica');
        const onlyDir = /only-dir=([^,]+)/.exec(volume.csi.volumeAttributes.mountOptions)?.[1];
        assert.ok(onlyDir, 'the replica volume mounts one folder of the bucket');
        const [rule] = lifecycle.lifecycle.rule;
        assert.ok(rule.condition.matchesPrefix.some((prefix: string) => `${onlyDir}/`.startsWith(prefix)), `a prefix covers ${onlyDir}/`);
    });
});

