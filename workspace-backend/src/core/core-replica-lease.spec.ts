import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assessReadiness } from '../health/readiness';
import { ReplicaLease } from '../replication/lease';
import { openReplicaStore, resolveReplicationConfig } from '../replication/replication-config';
import { WorkspaceCore } from './workspace-core';

/** The workspace core: the wait is visible in its health and makes /health unready, until the lease is ours. */
describe('the workspace core while another instance holds the replica lease', function () {
    this.timeout(60_000);
    let root: string;
    let core: WorkspaceCore | undefined;
    const saved = { url: process.env.STUDIO_REPLICA_URL, interval: process.env.STUDIO_SYNC_INTERVAL_MS };

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'core-lease-'));
        process.env.STUDIO_REPLICA_URL = pathToFileURL(path.join(root, 'replica')).href;
        process.env.STUDIO_SYNC_INTERVAL_MS = '50';
    });
    afterEach(async () => {
        await core?.stop();
        core = undefined;
        for (const [key, value] of [['STUDIO_REPLICA_URL', saved.url], ['STUDIO_SYNC_INTERVAL_MS', saved.interval]] as const) {
            if (value === undefined) delete process.env[key]; else process.env[key] = value;
        }
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('reports "waiting for the replica lease ... to expire in N s" (degraded, unready), then replicates and is ready', async () => {
        const dataDir = path.join(root, 'data');
        const store = openReplicaStore(resolveReplicationConfig(dataDir))!;
        const other = new ReplicaLease(store, { ttlMs: 3000, host: 'another-host', owner: 'another-host:4242:cafe' });
        await other.acquire();

        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir });
        await core.start();
        const health = await core.refreshHealth();
        const replication = health.components.find(c => c.id === 'replication')!;
        assert.equal(replication.status, 'degraded');
        assert.match(replication.detail, /^Waiting for the replica lease held by another-host:4242:cafe \(host another-host, pid \d+\) to expire in \d+ s/);
        const readiness = assessReadiness(health, { maxReplicationLagMs: 600_000 });
        assert.equal(readiness.ready, false);
        assert.match(readiness.problems.join('\n'), /Replication is not running yet: Waiting for the replica lease held by another-host/);

        const running = core;
        await new Promise<void>(resolve => {
            const listener = running.onHealthChanged(h => {
                if (h.components.find(c => c.id === 'replication')?.status === 'ok') {
                    listener.dispose();
                    resolve();
                }
            });
        });
        const after = await core.refreshHealth();
        assert.equal(after.components.find(c => c.id === 'replication')?.status, 'ok');
        assert.deepEqual(assessReadiness(after, { maxReplicationLagMs: 600_000 }).problems, []);
    });
});
