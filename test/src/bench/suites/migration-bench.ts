import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { K8sTestServer } from '@coditect/k8s-test-server';
import { generateV1Data, s3Sink, startS3TestServer, S3TestServer } from '@coditect/workspace-backend/test-support';
import { median, percentile, round } from '../bench-stats';
import type { BenchSuite } from '../bench-suite';
import { benchToken, startFleetProcess } from '../fleet/fleet-process';
import { repoRoot } from '../../lib/repo-paths';

const Users = Number(process.env.BENCH_MIGRATION_USERS ?? 50);
/** Users moved at once: one per core of the machines the benchmarks run on. */
const Parallel = Number(process.env.BENCH_MIGRATION_PARALLEL ?? 2);
/** Users rolled back (through the fleet, and discarded locally). */
const Rollbacks = Math.min(Users, Number(process.env.BENCH_MIGRATION_ROLLBACKS ?? 10));
const Bucket = 'coditect-v1';
const cliMain = path.join(repoRoot, 'workspace-backend', 'lib', 'cli', 'main.js');

interface CliRun {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly ms: number;
}

/** `coditect-workspace <args>` as an operator runs it: its own process. */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
        const base = { ...process.env };
        // Each command names its workspace in its arguments, never through this process's environment.
        for (const name of ['STUDIO_REPLICA_URL', 'STUDIO_DATA_DIR', 'STUDIO_WORKSPACE']) {
            delete base[name];
        }
        const child = spawn(process.execPath, [cliMain, ...args], { env: { ...base, ...env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', d => stdout += d);
        child.stderr.on('data', d => stderr += d);
        child.on('error', reject);
        child.on('close', code => resolve({ code, stdout, stderr, ms: performance.now() - started }));
    });
}

async function ok(run: Promise<CliRun>, what: string): Promise<CliRun> {
    const done = await run;
    if (done.code !== 0) {
        throw new Error(`${what} failed (exit ${done.code}): ${done.stderr}${done.stdout}`);
    }
    return done;
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) {
            await work(items[next++]);
        }
    }));
}

/** The baseline: the same objects listed and downloaded with the raw SDK and written to disk as they are, converting nothing. */
async function rawCopy(server: S3TestServer, users: readonly string[], into: string): Promise<number> {
    const client = new S3Client({ endpoint: server.endpoint, region: 'auto', forcePathStyle: true, credentials: server.credentials, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    const started = performance.now();
    try {
        await eachLimited(users, Parallel, async user => {
            let token: string | undefined;
            do {
                const page: ListObjectsV2CommandOutput = await client.send(new ListObjectsV2Command({ Bucket, Prefix: `users/${user}/`, ContinuationToken: token }));
                for (const object of page.Contents ?? []) {
                    const body = await (await client.send(new GetObjectCommand({ Bucket, Key: object.Key! }))).Body!.transformToByteArray();
                    const file = path.join(into, object.Key!);
                    fs.mkdirSync(path.dirname(file), { recursive: true });
                    fs.writeFileSync(file, body);
                }
                token = page.IsTruncated ? page.NextContinuationToken : undefined;
            } while (token);
        });
    } finally {
        client.destroy();
    }
    return performance.now() - started;
}

/**
 * The migration of generated v1 users (docs/v1-layout.md) read from a real S3 server through the
 * AWS SDK, by the operator CLI, as the runbook moves them: `migrate run` per user (Parallel at a
 * time), `migrate verify` for each, then a cutover of every user through a fleet service on the
 * Kubernetes test server (bulk copy, freeze at the gateway, delta, verify, route to v2), and
 * rollbacks through the fleet. The baseline is a raw copy of the same objects, in the same run.
 */
export const migrationBench: BenchSuite = {
    description: `v1 to v2: ${Users} generated users through migrate run, verify, cutover and rollback (baseline: a raw copy of their objects)`,
    async run(log) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-migration-'));
        const server = await startS3TestServer({ buckets: [Bucket] });
        let k8s: K8sTestServer | undefined;
        let fleet: Awaited<ReturnType<typeof startFleetProcess>> | undefined;
        try {
            const sink = s3Sink({ url: `s3://${Bucket}`, endpoint: server.endpoint, credentials: server.credentials });
            const written = await generateV1Data(sink, { users: Users, seed: 26, largeLogRecords: 2000 });
            sink.close();
            const users = written.users.map(u => u.userId);
            log(`generated ${users.length} users: ${written.objects} objects, ${round(written.bytes / 1048576, 1)} MiB`);
            const v1Env = {
                STUDIO_V1_URL: `s3://${Bucket}`, STUDIO_V1_ENDPOINT: server.endpoint,
                AWS_ACCESS_KEY_ID: server.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
            };

            const rawMs = await rawCopy(server, users, path.join(dir, 'raw'));
            log(`raw copy: ${round(rawMs / 1000, 1)} s`);

            const workspaceOf = (user: string) => ['--data-dir', path.join(dir, 'run', user, 'data'), '--workspace', path.join(dir, 'run', user, 'ws'), '--replica', `file://${path.join(dir, 'run', user, 'replica')}`];
            const runStarted = performance.now();
            await eachLimited(users, Parallel, async user => {
                await ok(cli(['migrate', 'run', '--user', user, ...workspaceOf(user)], v1Env), `migrate run ${user}`);
            });
            const runMs = performance.now() - runStarted;
            log(`migrate run: ${round(runMs / 1000, 1)} s`);

            const integrity: number[] = [];
            await eachLimited(users, Parallel, async user => {
                const verified = await cli(['migrate', 'verify', '--user', user, '--json', ...workspaceOf(user)], v1Env);
                integrity.push(JSON.parse(verified.stdout).integrityPct as number);
            });
            log(`verify: lowest ${Math.min(...integrity)} %`);

            const discards: number[] = [];
            for (const user of users.slice(0, Rollbacks)) {
                discards.push((await ok(cli(['migrate', 'rollback', '--user', user, ...workspaceOf(user)], v1Env), `migrate rollback ${user}`)).ms);
            }

            // The cutover, through a fleet service whose bucket is a folder here.
            k8s = await K8sTestServer.start({ readyDelayMs: 0 });
            const bucketDir = path.join(dir, 'fleet-bucket');
            fs.mkdirSync(bucketDir);
            fleet = await startFleetProcess(k8s, dir, { FLEET_BUCKET_URL: `file://${bucketDir}`, FLEET_BASE_URL: 'https://coditect.test/theia' });
            const fleetEnv = { ...v1Env, FLEET_URL: fleet.url, FLEET_TOKEN: await benchToken('bench-operator', 'admin') };
            const cutover = await ok(cli(['migrate', 'cutover', '--all', '--percent', '100', '--v2-bucket', `file://${bucketDir}`, '--staging', path.join(dir, 'staging'), '--json'], fleetEnv), 'migrate cutover');
            const moved = (JSON.parse(cutover.stdout).users as { outcome: string; downtimeMs?: number }[]);
            const downtimes = moved.filter(u => u.outcome === 'moved').map(u => u.downtimeMs! / 1000);
            log(`cutover: ${downtimes.length} of ${users.length} moved in ${round(cutover.ms / 1000, 1)} s`);

            const rollbacks: number[] = [];
            for (const user of users.slice(0, Rollbacks)) {
                const rolled = await ok(cli(['migrate', 'rollback', '--user', user, '--fleet', fleet.url, '--json'], fleetEnv), `migrate rollback --fleet ${user}`);
                rollbacks.push(JSON.parse(rolled.stdout).handedBackMs / 1000);
            }

            const usersPerMin = users.length / (runMs / 60_000);
            const rawPerMin = users.length / (rawMs / 60_000);
            return {
                users: users.length,
                v1_objects: written.objects,
                v1_mib: round(written.bytes / 1048576, 1),
                parallel: Parallel,
                users_per_min: round(usersPerMin, 1),
                raw_copy_users_per_min: round(rawPerMin, 1),
                raw_copy_ratio: round(usersPerMin / rawPerMin, 3),
                integrity_pct: Math.min(...integrity),
                users_moved: downtimes.length,
                cutover_downtime_p99_s: downtimes.length ? round(percentile(downtimes, 99), 2) : null,
                cutover_downtime_median_s: downtimes.length ? round(median(downtimes), 2) : null,
                rollback_s: round(percentile(rollbacks, 99), 2),
                discard_p99_s: round(percentile(discards.map(ms => ms / 1000), 99), 2),
            };
        } finally {
            await fleet?.stop();
            await k8s?.stop();
            await server.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    },
};
