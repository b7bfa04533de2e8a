import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveFleetConfig } from './fleet-config';
import { isWorkspaceId, newWorkspaceId } from './workspace-ids';
import { FleetAnnotation, FleetLabel, homeClaimName, ownerLabel, readWorkspaceTemplate, WorkspaceApp, workspaceManifests } from './workspace-manifests';

describe('a workspace\'s Kubernetes objects, made from the repository\'s one workspace manifest', () => {
    const dir = resolveFleetConfig({}).templateDir;
    const template = readWorkspaceTemplate(path.join(dir, 'statefulset.yaml'), path.join(dir, 'service.yaml'));

    it('names, labels and sizes a copy of the template as one workspace, with its own bucket folder and volume', () => {
        const before = JSON.stringify(template);
        const { statefulSet, service } = workspaceManifests(template, {
            id: 'ws-abcdefgh23', owner: 'user:ada@example.com', size: 'medium', bucket: 'team-bucket', bucketPrefix: 'workspaces/ws-abcdefgh23', image: 'registry/studio:1.2',
        });
        assert.equal(JSON.stringify(template), before, 'the template is left as it was');
        assert.equal(statefulSet.metadata?.name, 'ws-abcdefgh23');
        assert.deepEqual(statefulSet.metadata?.labels, {
            [FleetLabel.app]: WorkspaceApp, [FleetLabel.partOf]: 'coditect', [FleetLabel.workspace]: 'ws-abcdefgh23', [FleetLabel.owner]: ownerLabel('user:ada@example.com'),
        });
        assert.match(ownerLabel('user:ada@example.com'), /^[0-9a-f]{40}$/, 'a valid label value, whatever the id holds');
        assert.deepEqual(statefulSet.metadata?.annotations, {
            [FleetAnnotation.ownerId]: 'user:ada@example.com', [FleetAnnotation.size]: 'medium', [FleetAnnotation.bucketPrefix]: 'workspaces/ws-abcdefgh23',
        });
        const spec = statefulSet.spec!;
        assert.deepEqual([spec.replicas, spec.serviceName], [1, 'ws-abcdefgh23']);
        assert.deepEqual(spec.selector.matchLabels, { [FleetLabel.app]: WorkspaceApp, [FleetLabel.workspace]: 'ws-abcdefgh23' });
        assert.equal(spec.template.metadata?.labels?.[FleetLabel.workspace], 'ws-abcdefgh23');
        // The owner is the StatefulSet's alone: a claim of a warm workspace must not change the pod template (a restart).
        assert.equal(spec.template.metadata?.labels?.[FleetLabel.owner], undefined);
        assert.equal(spec.volumeClaimTemplates?.[0].metadata?.labels?.[FleetLabel.owner], undefined);
        const studio = spec.template.spec!.containers.find(c => c.name === 'studio')!;
        assert.deepEqual(studio.resources, { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } });
        assert.equal(studio.image, 'registry/studio:1.2');
        assert.ok(studio.env?.some(e => e.name === 'STUDIO_WORKSPACE_ID' && e.value === 'ws-abcdefgh23'));
        assert.ok(studio.readinessProbe && studio.startupProbe, 'the template\'s probes are kept');
        const replica = spec.template.spec!.volumes!.find(v => v.name === 'replica')!;
        assert.equal(replica.csi?.volumeAttributes?.bucketName, 'team-bucket');
        assert.match(replica.csi?.volumeAttributes?.mountOptions ?? '', /(^|,)only-dir=workspaces\/ws-abcdefgh23(,|$)/);
        const home = spec.volumeClaimTemplates!.find(c => c.metadata?.name === 'home')!;
        assert.equal(home.spec?.resources?.requests?.storage, '20Gi');
        assert.equal(home.spec?.storageClassName, 'premium-rwo');
        assert.equal(homeClaimName('ws-abcdefgh23'), 'home-ws-abcdefgh23-0');

        assert.equal(service.metadata?.name, 'ws-abcdefgh23');
        assert.deepEqual(service.spec?.selector, spec.selector.matchLabels);
        assert.equal(service.spec?.ports?.[0].port, 80);
    });

    it('makes a warm workspace nobody\'s, with the pool\'s label, and the same pod template as an owned one', () => {
        const spec = { id: 'ws-abcdefgh23', size: 'small' as const, bucket: 'b', bucketPrefix: 'workspaces/ws-abcdefgh23' };
        const warm = workspaceManifests(template, spec).statefulSet;
        const owned = workspaceManifests(template, { ...spec, owner: 'user:ada' }).statefulSet;
        assert.equal(warm.metadata?.labels?.[FleetLabel.pool], 'warm');
        assert.equal(warm.metadata?.labels?.[FleetLabel.owner], undefined);
        assert.equal(warm.metadata?.annotations?.[FleetAnnotation.ownerId], undefined);
        assert.equal(owned.metadata?.labels?.[FleetLabel.pool], undefined);
        assert.deepEqual(warm.spec?.template, owned.spec?.template, 'claiming changes nothing the pod is made from');
    });

    it('makes ids that are DNS labels, and refuses a template that is not the workspace\'s', () => {
        const ids = new Set(Array.from({ length: 200 }, newWorkspaceId));
        assert.equal(ids.size, 200);
        assert.ok([...ids].every(isWorkspaceId));
        assert.ok(!isWorkspaceId('ws-ABC') && !isWorkspaceId('../etc') && !isWorkspaceId(undefined));

        const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-template-'));
        try {
            fs.writeFileSync(path.join(temp, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n');
            assert.throws(() => readWorkspaceTemplate(path.join(temp, 'deployment.yaml'), path.join(dir, 'service.yaml')), /is not the workspace's StatefulSet: it needs kind StatefulSet and a container named "studio"/);
            assert.throws(() => readWorkspaceTemplate(path.join(dir, 'statefulset.yaml'), path.join(temp, 'deployment.yaml')), /is not the workspace's Service/);
        } finally {
            fs.rmSync(temp, { recursive: true, force: true });
        }
    });

    it('says which setting is wrong', () => {
        assert.throws(() => resolveFleetConfig({ FLEET_BASE_URL: 'not a url' }), /FLEET_BASE_URL must be a URL/);
        assert.throws(() => resolveFleetConfig({ FLEET_NAMESPACE: 'Bad_NS' }), /FLEET_NAMESPACE must be a Kubernetes namespace name/);
        assert.throws(() => resolveFleetConfig({ FLEET_READY_TIMEOUT_S: '0' }), /FLEET_READY_TIMEOUT_S must be a whole number from 1 to 3600, not "0"/);
        assert.deepEqual([resolveFleetConfig({ FLEET_BASE_URL: 'https://x.test/theia/' }).baseUrl, resolveFleetConfig({ FLEET_BUCKET_ROOT: '/ws/' }).bucketRoot], ['https://x.test/theia', 'ws']);
    });
});
