import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildah, imageExists, runCommand } from './buildah';
import { repoRoot } from '../lib/repo-paths';

/** Node 22 on Debian bookworm, made here (docker/base/build-base-image.sh): no registry is reachable. */
const localBaseImage = `localhost/coditect-node:${process.env.STUDIO_NODE_VERSION ?? '22.23.3'}-bookworm`;
export const studioTestImage = 'localhost/coditect-studio:test';
/** The fleet service's image: the Dockerfile's `fleet` target. */
export const fleetTestImage = 'localhost/coditect-fleet:test';

/** Makes the base image unless it exists; returns the seconds it took (0 when it existed). */
export async function ensureBaseImage(logFile: string, log: (message: string) => void): Promise<number> {
    if (await imageExists(localBaseImage)) {
        log(`base image ${localBaseImage} exists`);
        return 0;
    }
    log(`making the base image ${localBaseImage} (debootstrap bookworm + Node 22 from the npm registry)`);
    const started = performance.now();
    await runCommand('bash', [path.join(repoRoot, 'docker', 'base', 'build-base-image.sh'), localBaseImage], { logFile });
    return (performance.now() - started) / 1000;
}

export interface ImageBuild {
    readonly seconds: number;
    /** The slowest steps, with their seconds ("[3/4] STEP 7/9: RUN npm install ..."). */
    readonly slowestSteps: readonly { step: string; seconds: number }[];
    /** Steps answered from buildah's layer cache, of all steps. */
    readonly cachedSteps: number;
    readonly steps: number;
}

/**
 * Builds docker/Dockerfile's `target` (the studio's runtime, or the fleet service) the way CI can: buildah, chroot isolation, layer cache on. The context is
 * the repository (or STUDIO_IMAGE_CONTEXT, a folder with the same layout).
 *
 * This machine's npm cache (STUDIO_IMAGE_NPM_CACHE, default ~/.npm; `off` for none) is lent to the
 * build's RUN steps as a copy-on-write overlay, as a BuildKit cache mount would be: `npm test` has just
 * filled it with the lockfile's packages, so the image's `npm install` downloads almost nothing, and
 * nothing the build writes there reaches the machine or the image.
 */
export async function buildStudioImage(logFile: string, log: (message: string) => void, target: 'runtime' | 'fleet' = 'runtime'): Promise<ImageBuild> {
    const context = process.env.STUDIO_IMAGE_CONTEXT ?? repoRoot;
    const tag = target === 'fleet' ? fleetTestImage : studioTestImage;
    log(`building ${tag} (target ${target}) from ${context} on ${localBaseImage} (log: ${logFile})`);
    const started = performance.now();
    // Each step's time, from one "STEP" line to the next (stages run one after another here).
    const steps: { step: string; at: number }[] = [];
    const npmCache = process.env.STUDIO_IMAGE_NPM_CACHE ?? path.join(os.homedir(), '.npm');
    const volumes = npmCache !== 'off' && fs.existsSync(npmCache) ? ['--volume', `${npmCache}:/root/.npm:O`] : [];
    const result = await buildah([
        'bud', '--layers', '--force-rm', '--isolation', 'chroot', '--format', 'docker', ...volumes,
        '--file', path.join(context, 'docker', 'Dockerfile'),
        '--build-arg', `BASE_IMAGE=${localBaseImage}`, '--target', target,
        '--tag', tag, context,
    ], { logFile, onLine: line => /^\[\d+\/\d+\] (STEP|COMMIT)/.test(line) && steps.push({ step: line.slice(0, 90), at: performance.now() }) });
    const ended = performance.now();
    const output = result.stdout + result.stderr;
    return {
        seconds: (ended - started) / 1000,
        slowestSteps: steps.map((s, i) => ({ step: s.step, seconds: Math.round(((steps[i + 1]?.at ?? ended) - s.at) / 100) / 10 }))
            .sort((a, b) => b.seconds - a.seconds).slice(0, 6),
        cachedSteps: (output.match(/^--> Using cache /gm) ?? []).length,
        steps: (output.match(/^\[\d+\/\d+\] STEP /gm) ?? []).length,
    };
}

export interface ImageFacts {
    /** Uncompressed size of every layer, as `docker images` reports it. */
    readonly bytes: number;
    readonly layers: number;
    readonly user: string;
    readonly entrypoint: readonly string[];
    readonly healthcheck: readonly string[] | undefined;
    readonly exposedPorts: readonly string[];
}

export async function imageFacts(reference: string): Promise<ImageFacts> {
    const inspected = JSON.parse((await buildah(['inspect', '--type', 'image', reference])).stdout) as {
        Manifest: string;
        Docker: { config: { User?: string; Entrypoint?: string[]; Healthcheck?: { Test?: string[] }; ExposedPorts?: Record<string, unknown> } };
    };
    const manifest = JSON.parse(inspected.Manifest) as { layers: { size: number }[] };
    const config = inspected.Docker.config;
    return {
        bytes: manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
        layers: manifest.layers.length,
        user: config.User ?? '',
        entrypoint: config.Entrypoint ?? [],
        healthcheck: config.Healthcheck?.Test,
        exposedPorts: Object.keys(config.ExposedPorts ?? {}),
    };
}

export function imageLogFile(dir: string, name: string): string {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}-${Date.now()}.log`);
    fs.writeFileSync(file, '');
    return file;
}
