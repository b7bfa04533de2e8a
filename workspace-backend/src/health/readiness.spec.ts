import * as assert from 'node:assert/strict';
import { assessReadiness } from './readiness';
import { ComponentHealth, WorkspaceHealth } from './workspace-health';

const now = Date.parse('2026-01-01T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const db = (name: string, status: ComponentHealth['status'] = 'ok'): ComponentHealth => ({ id: `db:${name}`, label: `${name} database`, status, detail: `${name} detail` });
const replication = (lastSync: Record<string, string | null>, status: ComponentHealth['status'] = 'ok'): ComponentHealth => ({
    id: 'replication', label: 'Replication', status, detail: 'Replicating to file:///r.',
    metrics: Object.fromEntries(Object.entries(lastSync).map(([name, at]) => [`${name}.lastSyncAt`, at])),
});
const health = (components: ComponentHealth[], status: WorkspaceHealth['status'] = 'ok'): WorkspaceHealth => ({
    status, version: '0', startedAt: ago(60_000), workspaceDir: '/w', dataDir: '/d', components,
});
const options = { maxReplicationLagMs: 30_000, now };

describe('assessReadiness', () => {
    it('is ready with every database open and every sync recent', () => {
        const result = assessReadiness(health([db('tasks'), db('locks', 'degraded'), replication({ tasks: ago(900), locks: ago(29_000) })]), options);
        assert.deepEqual(result, { ready: true, problems: [] });
    });

    it('is not ready while the core starts', () => {
        const result = assessReadiness(health([db('tasks', 'starting')], 'starting'), options);
        assert.equal(result.ready, false);
        assert.match(result.problems[0], /starting/);
    });

    it('names a database that is down, and no other', () => {
        const result = assessReadiness(health([db('tasks', 'down'), db('locks'), replication({ locks: ago(100) })]), options);
        assert.deepEqual(result.problems, ['tasks database is not open (down): tasks detail']);
    });

    it('measures lag at the time of asking, so a stale report cannot hide a stopped store', () => {
        const result = assessReadiness(health([db('tasks'), replication({ tasks: ago(31_000) })]), options);
        assert.equal(result.ready, false);
        assert.match(result.problems[0], /Replication of tasks is 31 s behind \(allowed: 30 s, STUDIO_REPLICA_MAX_LAG_MS\)/);
    });

    it('counts a database not synced yet as behind since the core started', () => {
        // health() puts the core's start 60 s ago; the first sync is due within one interval.
        assert.equal(assessReadiness(health([db('tasks'), replication({ tasks: null })]), { ...options, maxReplicationLagMs: 90_000 }).ready, true);
        assert.match(assessReadiness(health([db('tasks'), replication({ tasks: null })]), options).problems[0],
            /Replication of tasks has no successful sync on record, 60 s after the start \(allowed: 30 s/);
    });

    it('is not ready when replication is down (fenced, failed to start)', () => {
        assert.match(assessReadiness(health([db('tasks'), replication({}, 'down')]), options).problems[0], /Replication is down/);
    });

    it('needs no replication when none is configured, but needs databases', () => {
        assert.equal(assessReadiness(health([db('tasks')]), options).ready, true);
        assert.match(assessReadiness(health([]), options).problems[0], /No database is reported/);
    });
});
