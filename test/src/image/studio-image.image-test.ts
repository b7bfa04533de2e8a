import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../lib/chromium';
import { screenshotsDir, testResultsDir } from '../lib/repo-paths';
import { buildah } from './buildah';
import { StudioContainer } from './studio-container';
import { buildStudioImage, ensureBaseImage, imageFacts, ImageFacts, imageLogFile, studioTestImage } from './studio-image';

/**
 * The container image, built and run for real (`npm run test:image`; `npm test` runs it last):
 * a Node 22 bookworm base made with debootstrap, docker/Dockerfile built by buildah, then in the
 * image: every promised tool, the entrypoint up to /health = 200, the IDE through nginx at /theia/
 * in headless Chromium, SIGTERM with a final sync, and a second container on an empty volume that
 * gets everything back from the replica.
 */

const resultsDir = path.join(testResultsDir, 'image');
const timings: Record<string, number> = {};
const log = (message: string) => process.stderr.write(`  [image] ${message}\n`);
const round = (seconds: number) => Math.round(seconds * 10) / 10;

/** Each tool the image promises, with the command that proves it is there and works. */
const tools: Record<string, string> = {
    node: 'node --version', npm: 'npm --version', npx: 'npx --version',
    git: 'git --version', 'git-lfs': 'git lfs version', jq: 'jq --version', wget: 'wget --version', curl: 'curl --version',
    tree: 'tree --version', htop: 'htop --version', vim: 'vim --version', nano: 'nano --version', ripgrep: 'rg --version',
    fzf: 'fzf --version', tmux: 'tmux -V', rsync: 'rsync --version', zip: 'zip --version', unzip: 'unzip -v',
    'silversearcher-ag': 'ag --version', sqlite3: 'sqlite3 --version',
    gcc: 'gcc --version', 'g++': 'g++ --version', make: 'make --version',
    python3: 'python3 --version', pip: 'pip3 --version', pylint: 'pylint --version', black: 'black --version',
    'python3-venv': 'python3 -m venv /tmp/venv-check && /tmp/venv-check/bin/pip --version',
    'python3-dev': 'test -f "$(python3 -c "import sysconfig; print(sysconfig.get_paths()[\'include\'])")/Python.h" && python3-config --includes',
    nginx: 'nginx -v', tini: 'tini --version', fuse3: 'fusermount3 --version', bubblewrap: 'bwrap --version',
    typescript: 'tsc --version', 'ts-node': 'ts-node --version', eslint: 'eslint --version', prettier: 'prettier --version',
    esbuild: 'esbuild --version', pnpm: 'pnpm --version', yarn: 'yarn --version', nodemon: 'nodemon --version',
    'http-server': 'http-server --version', 'coditect-workspace': 'coditect-workspace --help', coditect: 'coditect --help',
    'claude-code': 'claude --version', 'gemini-cli': 'gemini --version', codex: 'codex --version',
};

describe('the studio container image (docker/Dockerfile)', function () {
    let facts: ImageFacts;

    before(async function () {
        this.timeout(60 * 60_000);
        fs.mkdirSync(resultsDir, { recursive: true });
        timings.base_image_s = round(await ensureBaseImage(imageLogFile(resultsDir, 'base-image'), log));
        const build = await buildStudioImage(imageLogFile(resultsDir, 'image-build'), log);
        timings.image_build_s = round(build.seconds);
        log(`image built in ${timings.image_build_s} s (${build.cachedSteps} of ${build.steps} steps from the layer cache); slowest steps:`);
        build.slowestSteps.forEach(s => log(`  ${s.seconds} s  ${s.step}`));
        facts = await imageFacts(studioTestImage);
        log(`image: ${Math.round(facts.bytes / 1e6)} MB, ${facts.layers} layers`);
    });

    after(() => {
        const figures = { ...timings, image_mb: facts ? Math.round(facts.bytes / 1e6) : null, layers: facts?.layers ?? null };
        fs.writeFileSync(path.join(resultsDir, 'timings.json'), JSON.stringify(figures, undefined, 2) + '\n');
        log(`timings: ${JSON.stringify(figures)}`);
    });

    it('holds every promised tool, each answering for the workspace user', async function () {
        this.timeout(5 * 60_000);
        const started = performance.now();
        const script = Object.entries(tools).map(([name, command]) =>
            `if out=$( (${command}) 2>&1 ); then printf '%s\\tok\\t%s\\n' ${JSON.stringify(name)} "$(printf '%s' "$out" | head -1)"; ` +
            `else printf '%s\\tFAILED\\t%s\\n' ${JSON.stringify(name)} "$(printf '%s' "$out" | tail -1)"; fi`).join('\n');
        const container = (await buildah(['from', '--quiet', '--pull-never', studioTestImage])).stdout.trim();
        try {
            const result = await buildah(['run', '--isolation', 'chroot', container, '--', 'bash', '-c', `cd /tmp && id -un && ${script}`]);
            const [user, ...lines] = result.stdout.trim().split('\n');
            assert.equal(user, 'coditect', 'commands run as the workspace user');
            const answers = new Map(lines.map(line => line.split('\t')).map(([name, status, first]) => [name, { status, first }]));
            const failed = Object.keys(tools).filter(name => answers.get(name)?.status !== 'ok');
            assert.deepEqual(failed, [], `tools missing or broken: ${failed.map(name => `${name} (${answers.get(name)?.first ?? 'no answer'})`).join('; ')}`);
            assert.match(answers.get('node')!.first, /^v22\./, 'Node 22');
        } finally {
            await buildah(['rm', container], { allowFailure: true });
        }
        timings.tools_check_s = round((performance.now() - started) / 1000);
    });

    it('stays under 40 layers and runs as its non-root user under tini, with a HEALTHCHECK on /health', () => {
        assert.ok(facts.layers < 40, `${facts.layers} layers`);
        assert.equal(facts.user, 'coditect');
        assert.equal(facts.entrypoint[0], '/usr/bin/tini');
        assert.match((facts.healthcheck ?? []).join(' '), /\/health/);
        assert.deepEqual(facts.exposedPorts, ['8080/tcp']);
    });

    describe('a workspace in a container', () => {
        // Made in before(), not here: a failed image build skips this suite's hooks, and a folder
        // made at load time would then never be removed.
        let scratch: string;
        let home: string;
        let replica: string;
        const marker = `written after start ${crypto.randomUUID()}\n`;
        let container: StudioContainer | undefined;
        let lockId: string | undefined;
        // Replication ships once a minute here, file sync uploads five seconds after a change: what
        // reaches the replica between the last write and SIGTERM can only come from the final sync.
        const env = { STUDIO_SYNC_INTERVAL_MS: '60000', STUDIO_FILE_SYNC_DEBOUNCE_MS: '5000' };

        before(() => {
            scratch = fs.mkdtempSync('/var/tmp/coditect-image-test-');
            home = path.join(scratch, 'home');
            replica = path.join(scratch, 'replica');
        });

        after(async function () {
            this.timeout(60_000);
            await container?.remove();
            if (scratch) {
                fs.rmSync(scratch, { recursive: true, force: true });
            }
        });

        it('starts: /health turns 200, nginx serves / and /theia, and the IDE needs a credential', async function () {
            this.timeout(3 * 60_000);
            container = await StudioContainer.start({ image: studioTestImage, home, replica, env, logFile: imageLogFile(resultsDir, 'container-1') });
            timings.start_to_healthy_s = round(await container.waitForHealthy());
            log(`healthy ${timings.start_to_healthy_s} s after start`);

            // A probe gets the status alone; the detail needs a credential whose person may see it (the local token: an admin).
            assert.deepEqual(await (await fetch(`${container.url}/health`)).json(), { status: 'ready' });
            const health = await (await fetch(`${container.url}/health`, { headers: { authorization: `Bearer ${container.token}` } })).json() as { status: string; core: { components: { id: string; detail: string }[] } };
            assert.equal(health.status, 'ready');
            assert.ok(health.core.components.some(c => c.id === 'replication'));
            // /health carries no metrics: the mode is in the detail.
            assert.match(health.core.components.find(c => c.id === 'durability')?.detail ?? '', /\(ack\)/, 'the container acknowledges what matters once it is in the replica');
            const redirect = async (url: string) => {
                const response = await fetch(url, { redirect: 'manual' });
                return `${response.status} ${response.headers.get('location')}`;
            };
            assert.equal(await redirect(`${container.url}/`), '302 /theia/');
            assert.equal(await redirect(`${container.url}/theia`), '301 /theia/');
            assert.equal((await fetch(`${container.url}/elsewhere`)).status, 404);
            const anonymous = await fetch(`${container.url}/theia/`, { redirect: 'manual', headers: { accept: 'text/html' } });
            assert.notEqual(anonymous.status, 200, 'the IDE is not served without a credential');
        });

        it('starts a new workspace with the image\'s agents, workflows and welcome file', () => {
            const workspace = path.join(home, 'workspace');
            for (const agent of ['claude', 'gemini', 'codex', 'kimi', 'code-reviewer', 'test-writer', 'doc-generator', 'file-organizer', 'prior-session-agent']) {
                const definition = JSON.parse(fs.readFileSync(path.join(workspace, '.coditect', 'agents', `${agent}.json`), 'utf8'));
                assert.ok(definition.model && definition.systemPrompt, `${agent}.json is a definition`);
            }
            assert.ok(fs.readdirSync(path.join(workspace, '.coditect', 'workflows')).some(f => f.endsWith('.md')));
            assert.match(fs.readFileSync(path.join(workspace, 'README.md'), 'utf8'), /persistent container/);
            assert.equal(fs.statSync(path.join(workspace, 'README.md')).uid, 1000, 'owned by the workspace user, so editable');
        });

        it('loads the IDE through nginx at /theia/ in Chromium, websocket included', async function () {
            this.timeout(3 * 60_000);
            const browser = await chromium.launch(chromiumLaunchOptions);
            try {
                const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
                const started = performance.now();
                await page.goto(container!.loginUrl);
                await page.waitForSelector('#theia-app-shell', { timeout: 90_000 });
                await page.waitForSelector('.theia-preload', { state: 'detached', timeout: 90_000 });
                timings.shell_ready_s = round((performance.now() - started) / 1000);
                assert.match(new URL(page.url()).pathname, /^\/theia\//, 'the IDE stays under /theia/');
                assert.doesNotMatch(page.url(), /token=/, 'the token left the address bar');
                // The status item is fed over the websocket from the workspace core: proof the upgrade passes nginx.
                const status = page.locator('#status-bar-coditect-workspace-status');
                await status.waitFor({ timeout: 60_000 });
                // `degraded` is a real answer here: a container without user namespaces runs agents' commands
                // without the bubblewrap sandbox, and health says so (the "Agent commands" part).
                await page.waitForFunction(() => /Workspace: (ok|degraded)/.test(document.querySelector('#status-bar-coditect-workspace-status')?.textContent ?? ''),
                    undefined, { timeout: 60_000 });
                // The first start opens the explorer (a click on its tab would close it again) on the workspace the
                // entrypoint opened, with the files the image seeded.
                await page.locator('#explorer-view-container').waitFor({ state: 'visible', timeout: 30_000 });
                for (const name of ['.coditect', 'README.md']) {
                    await page.locator('.theia-FileTree .theia-TreeNode', { hasText: name }).first().waitFor({ timeout: 30_000 });
                }
                fs.mkdirSync(screenshotsDir, { recursive: true });
                await page.screenshot({ path: path.join(screenshotsDir, 'image-ide-through-nginx.png') });
            } finally {
                await browser.close();
            }
        });

        it('on SIGTERM stops nginx, then runs the final sync of the files and databases, and exits 0', async function () {
            this.timeout(2 * 60_000);
            const file = path.join(home, 'workspace', 'notes', 'after-start.txt');
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, marker);
            fs.chownSync(path.dirname(file), 1000, 1000);
            fs.chownSync(file, 1000, 1000);
            const lock = await fetch(`${container!.url}/theia/coditect/api/locks`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${container!.token}` },
                body: JSON.stringify({ path: 'notes/after-start.txt', mode: 'exclusive' }),
            });
            assert.equal(lock.status, 201, await lock.clone().text());
            lockId = (await lock.json() as { id: string }).id;
            // Long enough for the watcher to report the file, short of the 5 s upload debounce.
            await new Promise(r => setTimeout(r, 1500));
            const blob = path.join(replica, 'files', 'blobs', crypto.createHash('sha256').update(marker).digest('hex'));
            assert.equal(fs.existsSync(blob), false, 'not uploaded before SIGTERM (the test would prove nothing)');

            const stopped = await container!.stop('SIGTERM');
            timings.stop_s = round(stopped.seconds);
            const output = container!.output();
            assert.equal(stopped.code, 0, `exit code; see ${container!.logFile}`);
            assert.ok(stopped.seconds < 60, `stopped within the grace period (${stopped.seconds} s)`);
            const nginxStop = output.indexOf('SIGTERM: stopping nginx');
            const finalSync = output.indexOf('[shutdown] final sync done');
            assert.ok(nginxStop >= 0 && finalSync > nginxStop, `nginx stops first, then the final sync reports success; see ${container!.logFile}`);
            assert.match(output, /\[entrypoint\] \S+ stopped/);
            assert.equal(fs.existsSync(blob), true, 'the file written after start reached the replica');
        });

        it('restores everything from the replica into an empty volume: the file, and the lock in locks.db', async function () {
            this.timeout(3 * 60_000);
            await container!.remove();
            const freshHome = path.join(scratch, 'home-2');
            container = await StudioContainer.start({ image: studioTestImage, home: freshHome, replica, env, logFile: imageLogFile(resultsDir, 'container-2') });
            timings.restore_start_to_healthy_s = round(await container.waitForHealthy());
            assert.equal(fs.readFileSync(path.join(freshHome, 'workspace', 'notes', 'after-start.txt'), 'utf8'), marker);
            const locks = await (await fetch(`${container.url}/theia/coditect/api/locks`, { headers: { authorization: `Bearer ${container.token}` } })).json() as { locks: { id: string; path: string }[] };
            assert.ok(locks.locks.some(l => l.id === lockId && l.path === 'notes/after-start.txt'), `the lock taken just before SIGTERM is back: ${JSON.stringify(locks)}`);
            const stopped = await container.stop('SIGTERM');
            assert.equal(stopped.code, 0);
        });
    });
});
