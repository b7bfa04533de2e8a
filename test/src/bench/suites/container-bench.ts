import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkspaceCore } from '@coditect/workspace-backend';
import { setReplicaUrl } from '@coditect/workspace-backend/test-support';
import { BenchSuite } from '../bench-suite';
import { median, round } from '../bench-stats';
import { testResultsDir } from '../../lib/repo-paths';
import { StudioContainer, studioUid } from '../../image/studio-container';
import { buildStudioImage, ensureBaseImage, imageFacts, imageLogFile, studioTestImage } from '../../image/studio-image';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const restoreMegabytes = Number(process.env.BENCH_CONTAINER_RESTORE_MB ?? 100);
const resultsDir = path.join(testResultsDir, 'bench-container');

/** Where the entrypoint puts things, for the baseline that starts the backend alone (docker/entrypoint.sh). */
const home = '/home/coditect';
const backendAlone = ({ backendPort }: { backendPort: number }) => [
    '/usr/local/bin/node', '/opt/coditect/studio/browser-app/lib/backend/main.js', `${home}/workspace`, '--hostname=127.0.0.1', `--port=${backendPort}`,
];
const backendAloneEnv = { STUDIO_WORKSPACE: `${home}/workspace`, STUDIO_DATA_DIR: `${home}/.coditect/data`, THEIA_CONFIG_DIR: `${home}/.theia` };

/**
 * A replica holding a workspace whose sessions database is ~N MB, made by a real workspace core on
 * this host (the image's core restores what this one replicated).
 */
async function replicaWithLargeDatabase(dir: string, megabytes: number, log: (m: string) => void): Promise<string> {
    const replica = path.join(dir, 'replica');
    const restoreReplica = setReplicaUrl(pathToFileURL(replica).href);
    const core = new WorkspaceCore({ workspaceDir: path.join(dir, 'seed-workspace'), dataDir: path.join(dir, 'seed-data') });
    try {
        await core.start();
        const sessions = core.databases.get('sessions');
        sessions.run('CREATE TABLE IF NOT EXISTS bench_payload (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
        const rows = megabytes * 256; // ~4 KiB per row
        for (let start = 0; start < rows; start += 2560) {
            sessions.transaction(tx => {
                const insert = tx.prepare('INSERT INTO bench_payload (payload) VALUES (?)');
                for (let i = start; i < Math.min(rows, start + 2560); i++) {
                    insert.run(crypto.randomBytes(2000).toString('hex'));
                }
            });
            // Let replication keep up, as it would under a real workload.
            await new Promise(r => setTimeout(r, 20));
        }
    } finally {
        await core.stop();
        restoreReplica();
    }
    const bytes = fs.statSync(path.join(dir, 'seed-data', 'sessions.db')).size;
    log(`replica with a ${(bytes / 1e6).toFixed(0)} MB sessions database made`);
    fs.chownSync(replica, studioUid, studioUid);
    for (const entry of fs.readdirSync(replica, { recursive: true }) as string[]) {
        fs.lchownSync(path.join(replica, entry), studioUid, studioUid);
    }
    return replica;
}

/** One start to /health 200 in a fresh container on a fresh volume, then a clean stop. */
async function timedStart(label: string, scratch: string, options: {
    replica?: string; command?: typeof backendAlone; env?: Record<string, string>; health?: 'backend';
}): Promise<number> {
    const runDir = fs.mkdtempSync(path.join(scratch, `${label}-`));
    const container = await StudioContainer.start({
        image: studioTestImage, home: path.join(runDir, 'home'), replica: options.replica ? copyReplica(options.replica, runDir) : undefined,
        env: options.env, command: options.command, logFile: imageLogFile(resultsDir, label),
    });
    try {
        return await container.waitForHealthy(300_000, options.health === 'backend' ? `http://127.0.0.1:${container.backendPort}/health` : undefined);
    } finally {
        await container.stop('SIGTERM').catch(() => undefined);
        await container.remove();
        fs.rmSync(runDir, { recursive: true, force: true });
    }
}

/** Each round restores from its own copy: a start takes the replica's lease and moves it on. */
function copyReplica(replica: string, runDir: string): string {
    const copy = path.join(runDir, 'replica');
    fs.cpSync(replica, copy, { recursive: true, preserveTimestamps: true });
    for (const entry of ['', ...fs.readdirSync(copy, { recursive: true }) as string[]]) {
        fs.lchownSync(path.join(copy, entry), studioUid, studioUid);
    }
    return copy;
}

export const containerBench: BenchSuite = {
    description: `the container: entrypoint start to /health 200 with an empty workspace and with a ~${restoreMegabytes} MB database to restore, ` +
        `against the Theia backend started alone in the same image (${rounds} rounds each), image size and layers`,
    async run(log) {
        fs.mkdirSync(resultsDir, { recursive: true });
        await ensureBaseImage(imageLogFile(resultsDir, 'base-image'), log);
        const build = await buildStudioImage(imageLogFile(resultsDir, 'image-build'), log);
        log(`image ready in ${build.seconds.toFixed(0)} s (${build.cachedSteps}/${build.steps} steps cached)`);
        const facts = await imageFacts(studioTestImage);

        const scratch = fs.mkdtempSync('/var/tmp/coditect-bench-container-');
        try {
            const replica = await replicaWithLargeDatabase(scratch, restoreMegabytes, log);
            const alone: number[] = [];
            const empty: number[] = [];
            const restore: number[] = [];
            for (let i = 0; i < rounds; i++) {
                alone.push(await timedStart('backend-alone', scratch, { command: backendAlone, env: backendAloneEnv, health: 'backend' }));
                empty.push(await timedStart('entrypoint-empty', scratch, {}));
                restore.push(await timedStart('entrypoint-restore', scratch, { replica }));
                log(`round ${i + 1}: backend alone ${alone[i].toFixed(2)} s, entrypoint ${empty[i].toFixed(2)} s, entrypoint with restore ${restore[i].toFixed(2)} s`);
            }
            return {
                start_to_healthy_s: round(median(empty), 2),
                start_to_healthy_restore_100mb_s: round(median(restore), 2),
                backend_alone_start_to_healthy_s: round(median(alone), 2),
                entrypoint_overhead_ratio: round(median(empty) / median(alone), 2),
                restore_db_mb: restoreMegabytes,
                image_mb: Math.round(facts.bytes / 1e6),
                layers: facts.layers,
            };
        } finally {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    },
};
