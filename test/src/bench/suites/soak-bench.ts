import { runSoak } from '../../soak/soak-run';
import { BenchFigures, BenchSuite } from '../bench-suite';
import { percentile, round } from '../bench-stats';

const rounds = Number(process.env.SOAK_ROUNDS ?? 20);
const asyncAcks = Number(process.env.SOAK_ASYNC_ACKS ?? 200);
const rawCommits = 500;

const p99 = (samples: readonly number[]) => (samples.length ? round(percentile(samples, 99), 1) : null);

export const soakBench: BenchSuite = {
    description: `soak: a workspace core in a child process writes tasks, budgets, chat messages and cost entries in ack mode to the GCS test server; ` +
        `SIGKILLed after a random number of acknowledgements, ${rounds} rounds (SOAK_ROUNDS), every second one with the data folder deleted; ` +
        `after each restart every acknowledged write and integrity_check of the six databases are checked; then ${asyncAcks} writes in async mode and ${rawCommits} raw better-sqlite3 commits as the baseline`,
    async run(log): Promise<BenchFigures> {
        const report = await runSoak({ rounds, asyncAcks, rawCommits, log });
        for (const lost of report.lost) {
            log(`LOST in round ${lost.round}${lost.wiped ? ' (data folder deleted)' : ''}: ${JSON.stringify(lost.write)}: ${lost.found}; the child's last acknowledgements: ${JSON.stringify(lost.lastAcks)}`);
        }
        for (const failure of report.integrityFailures) {
            log(`INTEGRITY in round ${failure.round}: ${failure.database}.db: ${failure.result}`);
        }
        const ackP99 = percentile(report.ackLatencyMs, 99);
        const asyncP99 = report.asyncLatencyMs.length ? percentile(report.asyncLatencyMs, 99) : undefined;
        const rawP99 = percentile(report.rawCommitMs, 99);
        log(`ack write p50 ${percentile(report.ackLatencyMs, 50).toFixed(1)} ms, p99 ${ackP99.toFixed(1)} ms; async p99 ${asyncP99?.toFixed(2)} ms; raw commit p99 ${rawP99.toFixed(3)} ms`);
        return {
            rounds: report.rounds,
            wiped_rounds: report.wipedRounds,
            point_restores: report.wipedRestores.filter(r => r?.startsWith('restore point ')).length,
            acked_writes: report.ackedWrites,
            acked_lost: report.lost.length,
            integrity_failures: report.integrityFailures.length,
            refused_acks: report.refused,
            wal_max_mb: round(report.walMaxBytes / (1024 * 1024), 2),
            restore_p99_ms: p99([...report.restartKeptMs, ...report.restartWipedMs]),
            restore_wiped_p99_ms: p99(report.restartWipedMs),
            restore_kept_p99_ms: p99(report.restartKeptMs),
            core_start_p99_ms: p99(report.coreStartMs),
            ack_write_p50_ms: round(percentile(report.ackLatencyMs, 50), 1),
            ack_write_p99_ms: round(ackP99, 1),
            async_write_p99_ms: asyncP99 === undefined ? null : round(asyncP99, 2),
            raw_commit_p99_ms: round(rawP99, 3),
            ack_over_async_p99: asyncP99 ? round(ackP99 / asyncP99, 1) : null,
            ack_over_raw_p99: round(ackP99 / rawP99, 1),
            async_over_raw_p99: asyncP99 === undefined ? null : round(asyncP99 / rawP99, 1),
        };
    },
};
