import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../lib/repo-paths';
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
