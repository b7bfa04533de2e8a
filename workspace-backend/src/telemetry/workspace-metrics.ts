import { MetricsRegistry } from './metrics-registry';

/**
 * Every metric a workspace exports on `/metrics` (docs/observability.md lists them, the alert rules
 * and the dashboard in docker/k8s/monitoring use them), in one registry per core.
 *
 * Conventions, which the alert rules and dashboards rely on:
 * - names start with `coditect_`, carry their unit (`_seconds`, `_bytes`, `_usd`) and counters end in `_total`;
 * - label values are bounded: agent ids (the workspace's definitions), vendors, models, database
 *   names, outcome and error kinds. Never a path, a task id, a user id or a message text.
 *
 * This module only holds the instruments. What feeds them lives with the composition root
 * (core/metrics-wiring.ts), so no part below it knows that metrics exist.
 */
export class WorkspaceMetrics extends MetricsRegistry {
    // Agents and their queues.
    readonly tasksStarted = this.counter('coditect_agent_tasks_started_total', 'Tasks an agent started (a retry starts again).', ['agent']);
    readonly tasksCompleted = this.counter('coditect_agent_tasks_completed_total', 'Tasks an agent finished successfully.', ['agent']);
    readonly tasksFailed = this.counter('coditect_agent_tasks_failed_total', 'Tasks that ended failed (after their retries).', ['agent']);
    readonly tasksCancelled = this.counter('coditect_agent_tasks_cancelled_total', 'Tasks cancelled by a person, a parent task or a budget.', ['agent']);
    readonly queueDepth = this.gauge('coditect_agent_queue_depth', 'Tasks queued for an agent and not started.', ['agent']);
    readonly agentState = this.gauge('coditect_agent_state', '1 for the state each agent is in now, 0 for the others.', ['agent', 'state']);
    readonly agentRestarts = this.counter('coditect_agent_restarts_total', 'Times an agent process was restarted after a crash or a hang.', ['agent']);
    readonly taskStartLatency = this.histogram('coditect_agent_task_start_latency_seconds', 'From a task being queued to its agent starting it.', ['agent'],
        [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800]);
    readonly taskDuration = this.histogram('coditect_agent_task_duration_seconds', 'From a task starting to its end, by how it ended.', ['agent', 'outcome'],
        [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600]);

    // The vendors' models, as the agents call them.
    readonly providerRequests = this.counter('coditect_provider_requests_total', 'Model requests sent to a vendor, answered or not.', ['vendor', 'model']);
    readonly providerErrors = this.counter('coditect_provider_errors_total', 'Model requests that failed, by kind (rate-limit, overloaded, auth, server, network, ...).', ['vendor', 'model', 'kind']);
    readonly providerLatency = this.histogram('coditect_provider_request_duration_seconds', 'From sending a model request to its last streamed byte, for answered requests (failures count in coditect_provider_errors_total).', ['vendor', 'model'],
        [0.25, 0.5, 1, 2, 5, 10, 20, 40, 80, 160]);
    readonly providerTokens = this.counter('coditect_provider_tokens_total', 'Tokens the vendors counted, by direction (input, output, cache_read, cache_write).', ['vendor', 'model', 'direction']);
    readonly providerCost = this.counter('coditect_provider_cost_usd_total', 'What the model calls cost, in US dollars, at the workspace\'s prices.', ['vendor', 'model']);
    readonly budgetExhausted = this.gauge('coditect_budget_exhausted', '1 while a budget is used up and holds its agents\' tasks (scope: workspace or agent; agent empty for the workspace\'s).', ['scope', 'agent', 'period']);

    // Locks.
    readonly lockWaits = this.counter('coditect_lock_waits_total', 'Lock requests that had to wait for another holder.', []);
    readonly lockWaitDuration = this.histogram('coditect_lock_wait_seconds', 'How long granted lock requests waited.', [],
        [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300]);
    readonly lockHoldDuration = this.histogram('coditect_lock_hold_seconds', 'How long a lock was held, by how it ended (released, expired, force-released).', ['end'],
        [0.1, 1, 5, 30, 60, 300, 900, 3600]);
    readonly lockTimeouts = this.counter('coditect_lock_timeouts_total', 'Lock requests that gave up waiting, by why (timeout, deadlock).', ['reason']);
    readonly locksHeld = this.gauge('coditect_locks_held', 'Locks held now, by mode.', ['mode']);
    readonly lockWaiters = this.gauge('coditect_lock_waiters', 'Lock requests waiting now.', []);

    // The message bus.
    readonly busMessages = this.counter('coditect_bus_messages_total', 'Messages published on the bus, direct or on a topic.', ['kind']);
    readonly busDeliveryLatency = this.histogram('coditect_bus_delivery_latency_seconds', 'From a message being published to a recipient\'s turn reading it.', [],
        [0.05, 0.25, 1, 5, 15, 60, 300, 1800]);

    // The SQLite cluster.
    readonly sqliteWriteDuration = this.histogram('coditect_sqlite_write_duration_seconds', 'One write statement or transaction on a database\'s writer, commit included.', ['database'],
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5]);
    readonly sqliteBusy = this.counter('coditect_sqlite_busy_total', 'Writes that failed with SQLITE_BUSY after the busy timeout.', ['database']);

    // Replication and durability.
    readonly replicationLag = this.gauge('coditect_replication_lag_seconds', 'How far a database\'s replica trails the disk (since its last successful sync started).', ['database']);
    readonly replicationUp = this.gauge('coditect_replication_up', '1 while replication ships the databases, 0 while it is configured but not shipping (fenced, waiting for the lease, failed).', []);
    readonly durableAckLatency = this.histogram('coditect_durable_ack_duration_seconds', 'How long an acknowledgement waited for the replica.', [],
        [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30]);
    readonly durableAckFailures = this.counter('coditect_durable_ack_failures_total', 'Acknowledgements that could not be given (the write is kept locally, not in the replica).', []);

    // Workspace files.
    readonly fileSyncPending = this.gauge('coditect_file_sync_pending_files', 'Workspace files changed and not yet in the bucket.', []);
    readonly fileSyncFailures = this.counter('coditect_file_sync_failures_total', 'File uploads or deletions in the bucket that failed (retried later).', []);
    readonly dataDiskFree = this.gauge('coditect_data_disk_free_bytes', 'Free space on the data folder\'s file system.', []);
    readonly dataDiskSize = this.gauge('coditect_data_disk_size_bytes', 'Size of the data folder\'s file system.', []);

    // People and the workspace itself.
    readonly websocketConnections = this.gauge('coditect_websocket_connections', 'Browser connections open now (a tab is one).', []);
    readonly httpRequests = this.counter('coditect_http_requests_total', 'HTTP requests answered, by route (the declared route, else "other") and status class (2xx, 3xx, 4xx, 5xx).', ['method', 'route', 'code']);
    readonly workspaceReady = this.gauge('coditect_workspace_ready', '1 while /health would answer ready, else 0.', []);
    readonly workspaceInfo = this.gauge('coditect_workspace_info', 'Always 1; the labels say which studio version runs.', ['version']);
}
