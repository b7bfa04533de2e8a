import * as fs from 'node:fs';
import type { Disposable } from '../common/emitter';
import type { WorkspaceCosts } from '../costs/workspace-costs';
import type { DatabaseCluster } from '../database/database-cluster';
import type { FileSync } from '../file-sync/file-sync';
import type { LockManager } from '../locks/lock-manager';
import type { Orchestrator } from '../orchestrator/orchestrator';
import { AgentStates } from '../orchestrator/agent-state';
import type { Durability } from '../replication/durability';
import type { ReplicationManager } from '../replication/replication-manager';
import { picoFromSql, picoToUsdNumber } from '../costs/money';
import type { WorkspaceMetrics } from '../telemetry/workspace-metrics';

/**
 * What feeds the workspace's metrics: each function listens to one part's events (counters,
 * histograms) and reads its state before each scrape (gauges). The parts know nothing of metrics;
 * the metrics part (parts/metrics-part.ts) calls these for the parts that are up.
 */

export function recordTasks(metrics: WorkspaceMetrics, orchestrator: Orchestrator): Disposable[] {
    const seconds = (ms: number): number => Math.max(0, ms) / 1000;
    const events = orchestrator.onEvent(event => {
        if (event.type === 'restart') {
            metrics.agentRestarts.inc({ agent: event.agentId });
            return;
        }
        if (event.type !== 'task') {
            return;
        }
        const { task } = event;
        const agent = task.agentId;
        switch (event.change) {
            case 'started':
                metrics.tasksStarted.inc({ agent });
                // A retry is queued again by the orchestrator, not by a person: only a first attempt measures the queue.
                if (task.attempts <= 1 && task.startedAt !== undefined) {
                    metrics.taskStartLatency.observe({ agent }, seconds(task.startedAt - task.enqueuedAt));
                }
                return;
            case 'done':
            case 'failed':
            case 'cancelled': {
                (event.change === 'done' ? metrics.tasksCompleted : event.change === 'failed' ? metrics.tasksFailed : metrics.tasksCancelled).inc({ agent });
                if (task.startedAt !== undefined) {
                    metrics.taskDuration.observe({ agent, outcome: event.change }, seconds((task.finishedAt ?? Date.now()) - task.startedAt));
                }
                return;
            }
        }
    });
    const calls = orchestrator.onProviderCall(call => {
        const labels = { vendor: call.vendor, model: call.model };
        metrics.providerRequests.inc(labels);
        if (call.error) {
            metrics.providerErrors.inc({ ...labels, kind: call.error });
        } else {
            metrics.providerLatency.observe(labels, call.durationMs / 1000);
        }
    });
    const gauges = metrics.beforeScrape(() => {
        const open = orchestrator.openTaskCounts();
        metrics.agentState.reset();
        for (const agent of orchestrator.listAgents()) {
            metrics.queueDepth.set({ agent: agent.id }, open.get(agent.id)?.queued ?? 0);
            for (const state of AgentStates) {
                metrics.agentState.set({ agent: agent.id, state }, state === agent.state ? 1 : 0);
            }
        }
    });
    return [events, calls, gauges];
}

export function recordBus(metrics: WorkspaceMetrics, orchestrator: Orchestrator): Disposable[] {
    return [
        orchestrator.bus.subscribe('*', message => metrics.busMessages.inc({ kind: message.to !== undefined ? 'direct' : 'topic' })),
        orchestrator.bus.onDelivery(({ messages, at }) => {
            for (const message of messages) {
                metrics.busDeliveryLatency.observe(Math.max(0, at - message.at) / 1000);
            }
        }),
    ];
}

export function recordCosts(metrics: WorkspaceMetrics, costs: WorkspaceCosts): Disposable[] {
    const recorded = costs.onCostRecorded(record => {
        const labels = { vendor: record.provider, model: record.model };
        const { input, output, cacheRead, cacheWrite } = record.tokens;
        for (const [direction, count] of [['input', input], ['output', output], ['cache_read', cacheRead], ['cache_write', cacheWrite]] as const) {
            if (count > 0) {
                metrics.providerTokens.inc({ ...labels, direction }, count);
            }
        }
        if (record.costPico !== null) {
            metrics.providerCost.inc(labels, picoToUsdNumber(picoFromSql(record.costPico)));
        }
    });
    const gauges = metrics.beforeScrape(() => {
        metrics.budgetExhausted.reset();
        for (const status of costs.budgetStatuses()) {
            const budget = status.budget;
            metrics.budgetExhausted.set(
                { scope: budget.scope, agent: budget.scope === 'agent' ? budget.agentId : '', period: budget.period },
                status.level === 'exceeded' ? 1 : 0);
        }
    });
    return [recorded, gauges];
}

export function recordLocks(metrics: WorkspaceMetrics, locks: LockManager): Disposable[] {
    const events = locks.onLockEvent(event => {
        switch (event.kind) {
            case 'waiting':
                metrics.lockWaits.inc();
                return;
            case 'acquired':
                if (event.waitedMs > 0) {
                    metrics.lockWaitDuration.observe(event.waitedMs / 1000);
                }
                return;
            case 'released':
            case 'expired':
            case 'force-released':
                metrics.lockHoldDuration.observe({ end: event.kind }, Math.max(0, Date.now() - event.lock.acquiredAt) / 1000);
                return;
            case 'wait-ended':
                if (event.outcome === 'timeout' || event.outcome === 'deadlock') {
                    metrics.lockTimeouts.inc({ reason: event.outcome });
                }
                return;
        }
    });
    const gauges = metrics.beforeScrape(() => {
        const held = { shared: 0, exclusive: 0 } as Record<string, number>;
        for (const lock of locks.list()) {
            held[lock.mode] = (held[lock.mode] ?? 0) + 1;
        }
        for (const [mode, count] of Object.entries(held)) {
            metrics.locksHeld.set({ mode }, count);
        }
        metrics.lockWaiters.set(locks.waiters().length);
    });
    return [events, gauges];
}

export function recordDatabases(metrics: WorkspaceMetrics, cluster: DatabaseCluster): Disposable[] {
    const writes = cluster.onWrite(write => metrics.sqliteWriteDuration.observe({ database: write.database }, write.durationMs / 1000));
    // Each database counts its BUSY errors since it opened; the counter takes the growth since the last scrape.
    const seen = new Map<string, number>();
    const gauges = metrics.beforeScrape(() => {
        for (const database of cluster.databases()) {
            const count = database.busyErrors.count;
            const growth = count - (seen.get(database.name) ?? 0);
            seen.set(database.name, count);
            metrics.sqliteBusy.inc({ database: database.name }, Math.max(0, growth));
        }
    });
    return [writes, gauges];
}

export function recordReplication(metrics: WorkspaceMetrics, replication: ReplicationManager): Disposable[] {
    return [metrics.beforeScrape(() => {
        const status = replication.status();
        const shipping = !status.fenced && !status.startFailure && !status.waitingForLease && status.databases.length > 0;
        metrics.replicationUp.set(shipping ? 1 : 0);
        for (const database of status.databases) {
            if (database.lagMs !== undefined) {
                metrics.replicationLag.set({ database: database.db }, database.lagMs / 1000);
            }
        }
    })];
}

export function recordDurability(metrics: WorkspaceMetrics, durability: Durability): Disposable[] {
    return [durability.onAcknowledgement(ack => {
        if (ack.failed) {
            metrics.durableAckFailures.inc();
        } else {
            metrics.durableAckLatency.observe(ack.durationMs / 1000);
        }
    })];
}

export function recordFileSync(metrics: WorkspaceMetrics, fileSync: FileSync): Disposable[] {
    return [
        fileSync.onEvent(event => event.type === 'error' && metrics.fileSyncFailures.inc()),
        metrics.beforeScrape(() => metrics.fileSyncPending.set(fileSync.status().pending)),
    ];
}

export function recordDataDisk(metrics: WorkspaceMetrics, dataDir: string): Disposable[] {
    return [metrics.beforeScrape(async () => {
        const stats = await fs.promises.statfs(dataDir);
        metrics.dataDiskFree.set(stats.bavail * stats.bsize);
        metrics.dataDiskSize.set(stats.blocks * stats.bsize);
    })];
}
