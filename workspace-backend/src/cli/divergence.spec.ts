import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ObjectStore } from '../object-store/object-store';
import { listGenerations } from '../replication/generation';
import { ReplicaLease } from '../replication/lease';
import { readLocalState } from '../replication/local-state';
import { openReplicaStore, resolveReplicationConfig } from '../replication/replication-config';
import { replicationHealth } from '../replication/replication-health';
import { restoreDatabase } from '../replication/restore';
import { Instance, writtenIds as ids } from '../replication/test-support/instance-driver';
import { runCli } from './test-support/run-cli';

const missing = (expected: number[], got: Set<number>) => expected.filter(id => !got.has(id));

/**
 * Instance 1 is SIGKILLed holding a live lease; instance 2 on the same disk cannot take it, serves
 * and acknowledges writes without replicating, and stops cleanly; instance 3 must still have every
 * one of them. And when the replica moved on meanwhile (true divergence), both histories are kept
 * and reported, and the operator CLI can make the local one live.
 */
describe('local commits made while not replicating survive the next start (child processes, SIGKILL)', function () {
    this.timeout(180_000);
    let root: string;
    let dataDir: string;
    let replicaUrl: string;
    let store: ObjectStore;
    const instances: Instance[] = [];

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'divergence-'));
        dataDir = path.join(root, 'data');
        replicaUrl = pathToFileURL(path.join(root, 'replica')).href;
        store = openReplicaStore(resolveReplicationConfig(dataDir, { STUDIO_REPLICA_URL: replicaUrl }))!;
    });
    afterEach(async () => {
        await Promise.all(instances.splice(0).map(i => i.kill()));
        fs.rmSync(root, { recursive: true, force: true });
    });

    const instance = (dir: string, extra: Record<string, string>) => {
        const started = new Instance({ INSTANCE_DATA_DIR: dir, STUDIO_REPLICA_URL: replicaUrl, INSTANCE_LEASE_TTL_MS: '600000', ...extra });
        instances.push(started);
        return started;
    };
    const dbPath = () => path.join(dataDir, 'metrics.db');
    const kept = (dir: string) => fs.readdirSync(dir).filter(f => /^metrics\.db\.(replaced|diverged)-[^-.]+$/.test(f));

    /** Instance 1 (host-a) replicates durable writes and is SIGKILLed; instance 2 (host-b) writes while it waits, and stops cleanly. */
    async function crashThenWriteWithoutLease(): Promise<{ first: Instance; second: Instance; firstGeneration: string }> {
        const first = instance(dataDir, { INSTANCE_HOST: 'host-a', INSTANCE_DURABLE: '1' });
        await first.waitFor(m => m.ack === 30, '30 durable acknowledgements');
        await first.kill();
        const [firstGeneration] = (await listGenerations(store, 'metrics')).map(g => g.generation);

        const second = instance(dataDir, { INSTANCE_HOST: 'host-b', INSTANCE_FIRST_ID: '100000', INSTANCE_ROWS: '3000' });
        await second.waitFor(m => m.started === 'waiting' || m.startFailed !== undefined, 'the start, unable to take the lease');
        await second.waitFor(m => m.wroteAll === true, 'all writes acknowledged');
        assert.equal(second.acked.length, 3000);
        await second.stop();
        return { first, second, firstGeneration };
    }

    it('keeps a local database ahead of an unmoved replica live, and replicates it as a new generation', async () => {
        const { first, second, firstGeneration } = await crashThenWriteWithoutLease();
        const recorded = readLocalState(dbPath());

        const third = instance(dataDir, { INSTANCE_HOST: 'host-b', INSTANCE_ROWS: '0' });
        const opened = await third.waitFor(m => m.opened === true, 'the database opened');
        const got = new Set(opened.ids);
        assert.deepEqual(missing(second.acked, got), [], 'every write instance 2 acknowledged is readable by instance 3');
        assert.deepEqual(missing(first.acked, got), [], 'and every durable write of instance 1');
        assert.ok(recorded?.unshippedSince, 'instance 2\'s stop recorded that the file holds commits the replica lacks');
        assert.deepEqual(kept(dataDir), [], 'nothing was moved aside');
        assert.deepEqual(opened.status?.keptCopies, []);

        // The dead holder's lease is still live (host-a, ten minutes): end it as its operator would.
        await third.waitFor(m => m.started === 'waiting', 'the wait for the lease');
        await store.delete('lease.json');
        await third.waitFor(m => m.state !== undefined && m.state.databases.length === 1 && !m.state.waitingForLease, 'replication started');
        await third.stop();
        const generations = (await listGenerations(store, 'metrics')).map(g => g.generation);
        assert.notEqual(generations[generations.length - 1], firstGeneration, 'the local file went up as a new generation');
        const restored = path.join(root, 'restored', 'metrics.db');
        await restoreDatabase({ store, db: 'metrics', targetPath: restored });
        const fromStore = ids(restored);
        assert.deepEqual(missing([...first.acked, ...second.acked], fromStore), [], 'the replica alone now has every acknowledged write');
    });

    it('true divergence: keeps both, reports the kept copy in health, and the CLI lists and promotes it', async () => {
        const { first, second } = await crashThenWriteWithoutLease();

        // Meanwhile the replica moves on: an instance on another disk, on host-a (so it takes over
        // the dead instance 1's lease at once), restores the replica and writes durably.
        const otherDir = path.join(root, 'other-disk');
        const other = instance(otherDir, { INSTANCE_HOST: 'host-a', INSTANCE_DURABLE: '1', INSTANCE_FIRST_ID: '500000', INSTANCE_ROWS: '40' });
        await other.waitFor(m => m.wroteAll === true, 'durable writes on the other disk');
        await other.stop();
        assert.equal(await new ReplicaLease(store).read(), undefined, 'the clean stop released the lease');

        const third = instance(dataDir, { INSTANCE_HOST: 'host-b', INSTANCE_ROWS: '0' });
        const opened = await third.waitFor(m => m.opened === true, 'the database opened');
        const live = new Set(opened.ids);
        assert.deepEqual(missing([...first.acked, ...other.acked], live), [], 'the replica\'s history is live');
        const [copy] = kept(dataDir);
        assert.match(copy ?? '', /^metrics\.db\.diverged-/, 'the local file is kept beside it as diverged');
        const copyPath = path.join(dataDir, copy);
        assert.deepEqual(missing(second.acked, ids(copyPath)), [], 'the kept copy has every write instance 2 acknowledged');
        assert.deepEqual(opened.status?.keptCopies.map(k => [k.kind, k.file]), [['diverged', copyPath]]);
        const health = replicationHealth(opened.status);
        assert.equal(health.status, 'degraded');
        assert.ok(health.detail.includes(copyPath), health.detail);
        assert.match(health.detail, /diverged from the replica/);
        assert.match(third.logs.join('\n'), /diverged from the replica.*kept at/);
        await third.waitFor(m => m.started === 'started' || (m.state !== undefined && m.state.databases.length === 1), 'replication started');
        const running = await third.stop();
        assert.equal(running?.keptCopies.length, 1, 'still reported after the start, until reconciled');

        const listed = await runCli(['diverged', '--data-dir', dataDir, '--replica', replicaUrl]);
        assert.equal(listed.code, 0, listed.stderr);
        assert.match(listed.stdout, new RegExp(`metrics: diverged .*${copy}`));

        const promoted = await runCli(['diverged', '--data-dir', dataDir, '--replica', replicaUrl, '--promote', copyPath]);
        assert.equal(promoted.code, 0, promoted.stderr);
        assert.ok(!fs.existsSync(copyPath), 'the copy is live now');
        assert.deepEqual(missing(second.acked, ids(dbPath())), []);
        assert.ok(fs.readdirSync(dataDir).some(f => /^metrics\.db\.before-promote-[^-.]+$/.test(f)), 'the replaced live file is kept too');
        const restored = path.join(root, 'restored', 'metrics.db');
        await restoreDatabase({ store, db: 'metrics', targetPath: restored });
        assert.deepEqual(missing(second.acked, ids(restored)), [], 'the promoted copy is the replica\'s newest generation');

        const fourth = instance(dataDir, { INSTANCE_HOST: 'host-b', INSTANCE_ROWS: '0' });
        const reopened = await fourth.waitFor(m => m.opened === true, 'the database opened');
        assert.deepEqual(missing(second.acked, new Set(reopened.ids)), [], 'the next start keeps the promoted file');
        assert.deepEqual(reopened.status?.keptCopies, [], 'nothing diverged is left');
    });
});
