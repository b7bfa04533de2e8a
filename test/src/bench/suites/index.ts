import { BenchSuite } from '../bench-suite';

/** Every suite `npm run bench -- <name>` knows, loaded only when asked for. */
export const benchSuites: Record<string, () => Promise<BenchSuite>> = {
    startup: async () => (await import('./startup-bench')).startupBench,
    sqlite: async () => (await import('./sqlite-bench')).sqliteBench,
    locks: async () => (await import('./locks-bench')).locksBench,
    filesync: async () => (await import('./filesync-bench')).filesyncBench,
    orchestrator: async () => (await import('./orchestrator-bench')).orchestratorBench,
    replication: async () => (await import('./replication-bench')).replicationBench,
    sql: async () => (await import('./sql-bench')).sqlBench,
    container: async () => (await import('./container-bench')).containerBench,
    timeline: async () => (await import('./timeline-bench')).timelineBench,
    costs: async () => (await import('./costs-bench')).costsBench,
    changes: async () => (await import('./changes-bench')).changesBench,
    soak: async () => (await import('./soak-bench')).soakBench,
    fleet: async () => (await import('./fleet-bench')).fleetBench,
    migration: async () => (await import('./migration-bench')).migrationBench,
    observability: async () => (await import('./observability-bench')).observabilityBench,
};
