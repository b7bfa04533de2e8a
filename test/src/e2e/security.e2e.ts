import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ORCHESTRATOR_PATH } from '@coditect/agent-activity/common';
import { repoRoot } from '../lib/repo-paths';
import { launchDemoStudio } from '../lib/demo-studio';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { expect, test } from './studio-fixture';
import { LOGIN_PAGE_ID } from '@coditect/studio-platform/common';

test('the login URL the studio prints signs a person in; without it, the login page', async ({ page, saveScreenshot }) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'login-e2e-'));
    // `npm start` as a person runs it, on a free port, with no token configured: the studio makes one up and prints the URL.
    const start = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'start-studio.js'), '--workspace', path.join(root, 'ws'), '--data-dir', path.join(root, 'data'), '--port', '0'], {
        env: { ...process.env, STUDIO_STATE_DIR: root, THEIA_CONFIG_DIR: path.join(root, 'cfg'), STUDIO_AUTH_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    try {
        const loginUrl = await new Promise<string>((resolve, reject) => {
            let output = '';
            const timer = setTimeout(() => reject(new Error(`no login URL within 60 s:\n${output}`)), 60_000);
            start.stdout!.on('data', chunk => {
                output += chunk;
                const match = /Open this URL to sign in: (\S+)/.exec(output);
                if (match) {
                    clearTimeout(timer);
                    resolve(match[1]);
                }
            });
            start.once('exit', code => reject(new Error(`the studio exited (${code}):\n${output}`)));
        });
        const url = new URL(loginUrl);
        expect(url.searchParams.get('token')?.length).toBeGreaterThanOrEqual(32);

        await page.goto(`${url.origin}/`);
        await expect(page.locator(`#${LOGIN_PAGE_ID}`)).toContainText('Sign in to CODITECT Development Studio');
        await saveScreenshot('login-page');

        await page.goto(loginUrl);
        await page.waitForSelector('#theia-app-shell', { timeout: 60_000 });
        await page.waitForSelector('.theia-preload', { state: 'detached' });
        expect(page.url()).not.toContain('token=');
    } finally {
        process.kill(-start.pid!, 'SIGTERM');
        await new Promise(resolve => start.once('exit', resolve));
        fs.rmSync(root, { recursive: true, force: true });
    }
});

test.use({ workspaceFiles: ['test/fixtures/demo-workspace'] });

test('planted provider keys reach neither the browser, nor the logs, the databases, the timeline or the archives', async ({ page, workspace }, testInfo) => {
    const replicaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'planted-replica-'));
    const { studio, vendors, keys: planted } = await launchDemoStudio({
        workspaceDir: workspace.path, logName: testInfo.title.replace(/\W+/g, '-'), turnDelayMs: 200, demoMode: false,
        keys: variable => `sk-planted-${variable.toLowerCase()}-${Math.random().toString(36).slice(2)}`,
        env: { STUDIO_REPLICA_URL: `file://${replicaDir}` },
    });
    const seenByBrowser: Buffer[] = [];
    page.on('websocket', socket => socket.on('framereceived', frame => seenByBrowser.push(Buffer.from(frame.payload))));
    page.on('response', response => response.body().then(body => seenByBrowser.push(body), () => undefined));
    const rpc = await StudioRpcClient.connect(studio.url, { headers: studio.authHeaders });
    try {
        await page.goto(studio.loginUrl(workspace.path));
        await page.waitForSelector('.theia-preload', { state: 'detached' });
        await page.keyboard.press('Control+Shift+P');
        await page.keyboard.type('CODITECT: Show Agent Activity');
        await page.keyboard.press('Enter');
        const orchestrator = await rpc.service<{ tasks(): Promise<{ status: string; agentId: string }[]> }>(ORCHESTRATOR_PATH);
        await expect.poll(async () => (await orchestrator.tasks()).filter(t => t.status === 'done').length, { timeout: 90_000 }).toBeGreaterThanOrEqual(4);
        await page.waitForTimeout(1500);
    } finally {
        rpc.close();
        await vendors.stop();
    }
    // Stopping flushes the final replication and file sync: everything that would be archived is on disk now.
    const logFile = studio.logFile;
    const dataDir = studio.dataDir;
    const filesOf = (dir: string): string[] => fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter(e => e.isFile()).map(e => path.join(e.parentPath, e.name)) : [];
    const scanBeforeStop = filesOf(dataDir).map(f => ({ f, content: fs.readFileSync(f) }));
    await studio.stop();
    const everywhere = [
        ...seenByBrowser.map((content, i) => ({ f: `browser message #${i}`, content })),
        { f: logFile, content: fs.readFileSync(logFile) },
        ...scanBeforeStop,
        ...filesOf(replicaDir).map(f => ({ f, content: fs.readFileSync(f) })),
    ];
    expect(everywhere.length).toBeGreaterThan(20);
    expect(scanBeforeStop.some(({ f }) => f.endsWith('sessions.db'))).toBe(true);
    for (const key of Object.values(planted)) {
        const leaks = everywhere.filter(({ content }) => content.includes(key)).map(({ f }) => f);
        expect(leaks, `planted key found in ${leaks.join(', ')}`).toEqual([]);
    }
    fs.rmSync(replicaDir, { recursive: true, force: true });
});
