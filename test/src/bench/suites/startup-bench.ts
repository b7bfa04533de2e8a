import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../../lib/chromium';
import { plainTheiaAppDir, repoRoot, studioAppDir } from '../../lib/repo-paths';
import { launchStudio } from '../../lib/studio-process';
import { BenchFigures, BenchSuite } from '../bench-suite';
import { median, round } from '../bench-stats';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

interface StartupSample {
    readonly listenMs: number;
    readonly shellReadyMs: number;
}

/** The mode the studio was bundled in (scripts/studio.sh writes it beside the bundle). */
const buildModeOf = (appDir: string): string | undefined => {
    const file = path.join(appDir, 'lib', '.build-mode');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
};

/** The plain Theia app is built only for benchmarks, the same way as the studio (same mode, same CLI). */
function ensureBuilt(appDir: string, log: (m: string) => void): void {
    const mode = buildModeOf(studioAppDir) ?? 'production';
    const bundle = path.join(appDir, 'lib', 'backend', 'main.js');
    if (fs.existsSync(bundle) && buildModeOf(appDir) === mode && fs.statSync(bundle).mtimeMs >= fs.statSync(path.join(appDir, 'package.json')).mtimeMs) {
        return;
    }
    log(`building ${path.relative(repoRoot, appDir)} (${mode}, as the studio)`);
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', '@theia', 'cli', 'bin', 'theia.js'), 'build', '--mode', mode],
        { cwd: appDir, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) {
        throw new Error(`theia build failed in ${appDir}`);
    }
    fs.writeFileSync(path.join(appDir, 'lib', '.build-mode'), `${mode}\n`);
}

/** What the browser downloads to show the shell: the frontend bundle and its stylesheet, in MB. */
function frontendBundleMb(appDir: string): number {
    const bytes = ['bundle.js', 'bundle.css'].reduce((sum, file) => sum + fs.statSync(path.join(appDir, 'lib', 'frontend', file)).size, 0);
    return round(bytes / 1e6, 1);
}

async function measure(appDir: string, browser: Browser): Promise<StartupSample> {
    const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ws-'));
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'sample-workspace'), workspaceDir, { recursive: true });
    const studio = await launchStudio({ appDir, workspaceDir, logName: `bench-startup-${path.basename(appDir)}` });
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    try {
        const page = await context.newPage();
        const navigationStart = performance.now();
        await page.goto(studio.loginUrl(workspaceDir));
        await page.waitForSelector('.theia-preload', { state: 'detached', timeout: 60000 });
        await page.waitForSelector('#theia-app-shell', { timeout: 60000 });
        const shellReadyMs = performance.now() - navigationStart;
        return { listenMs: studio.startToListeningMs, shellReadyMs };
    } finally {
        await context.close();
        await studio.stop();
        fs.rmSync(workspaceDir, { recursive: true, force: true });
    }
}

export const startupBench: BenchSuite = {
    description: `backend start to listening and browser navigation to shell ready, studio vs plain Theia, ${rounds} alternating rounds`,
    async run(log): Promise<BenchFigures> {
        ensureBuilt(studioAppDir, log);
        ensureBuilt(plainTheiaAppDir, log);
        const browser = await chromium.launch(chromiumLaunchOptions);
        const studio: StartupSample[] = [];
        const plain: StartupSample[] = [];
        try {
            // One warm-up of each fills the OS page cache, so neither side pays for the first read.
            await measure(studioAppDir, browser);
            await measure(plainTheiaAppDir, browser);
            for (let i = 0; i < rounds; i++) {
                // Alternate which goes first, so drift on a noisy machine falls on both alike.
                const order = i % 2 === 0 ? [studioAppDir, plainTheiaAppDir] : [plainTheiaAppDir, studioAppDir];
                for (const appDir of order) {
                    const sample = await measure(appDir, browser);
                    (appDir === studioAppDir ? studio : plain).push(sample);
                    log(`round ${i + 1} ${path.basename(appDir)}: listen ${sample.listenMs.toFixed(0)} ms, shell ready ${sample.shellReadyMs.toFixed(0)} ms`);
                }
            }
        } finally {
            await browser.close();
        }
        const studioListen = median(studio.map(s => s.listenMs));
        const plainListen = median(plain.map(s => s.listenMs));
        const studioShell = median(studio.map(s => s.shellReadyMs));
        const plainShell = median(plain.map(s => s.shellReadyMs));
        return {
            rounds,
            studio_backend_listen_ms: round(studioListen, 1),
            plain_backend_listen_ms: round(plainListen, 1),
            backend_listen_ratio: round(studioListen / plainListen),
            studio_shell_ready_ms: round(studioShell, 1),
            plain_shell_ready_ms: round(plainShell, 1),
            shell_ready_ratio: round(studioShell / plainShell),
            // Both built with --mode development, as measured; a production build is smaller.
            studio_bundle_mb: frontendBundleMb(studioAppDir),
            plain_bundle_mb: frontendBundleMb(plainTheiaAppDir),
        };
    },
};
