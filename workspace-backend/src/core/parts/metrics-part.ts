import type { Disposable } from '../../common/emitter';
import type { CorePartOf } from '../core-context';
import {
    recordBus, recordCosts, recordDatabases, recordDataDisk, recordDurability, recordFileSync, recordLocks, recordReplication, recordTasks,
} from '../metrics-wiring';

/**
 * Feeds the workspace's metrics (`core.metrics`, served on /metrics) from every part that is up.
 * Declared last, so it starts after all of them and stops first; a part that is down or off
 * exports nothing (its gauges are absent rather than stale).
 */
export const MetricsPart: CorePartOf<'metrics'> = {
    id: 'metrics', label: 'Metrics', needs: [],
    start({ metrics, config, durability }, parts) {
        const orchestrator = parts.find('orchestrator');
        const costs = parts.find('costs');
        const locks = parts.find('locks');
        const databases = parts.find('databases');
        const replication = parts.find('replication');
        const fileSync = parts.find('file-sync');
        const subscriptions: Disposable[] = [
            ...(orchestrator ? [...recordTasks(metrics, orchestrator), ...recordBus(metrics, orchestrator)] : []),
            ...(costs ? recordCosts(metrics, costs) : []),
            ...(locks ? recordLocks(metrics, locks.manager) : []),
            ...(databases ? recordDatabases(metrics, databases) : []),
            ...(replication ? recordReplication(metrics, replication) : []),
            ...recordDurability(metrics, durability().durability),
            ...(fileSync ? recordFileSync(metrics, fileSync) : []),
            ...recordDataDisk(metrics, config.dataDir),
        ];
        return { dispose: () => subscriptions.forEach(s => s.dispose()) };
    },
    stop: subscriptions => subscriptions.dispose(),
};
