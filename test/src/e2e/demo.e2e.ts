import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemoVendors } from '@coditect/workspace-backend/lib/core/demo-vendors';
import { studioAppDir } from '../lib/repo-paths';
import { launchStudio } from '../lib/studio-process';
import { expect, test } from './studio-fixture';

test.use({ workspaceFiles: ['test/fixtures/demo-workspace'] });

// The demo as `npm run demo` sets it up: recorded vendors on loopback, reached through the real SDKs.
// This test starts its own studio (not the fixture's) because the vendors must run before it.
test('the demo: with no key, several agents work at once through their vendors\' SDKs, and the studio says it is a demo', async ({ page, workspace, saveScreenshot }, testInfo) => {
    test.setTimeout(240_000);
    // Turns slow enough that the agents are still at work when a loaded machine has finished loading the IDE.
    const vendors = await startDemoVendors(workspace.path, { turnDelayMs: 12_000 });
    const tasksFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'demo-tasks-')), 'tasks.json');
    fs.writeFileSync(tasksFile, JSON.stringify(vendors.tasks));
    const studio = await launchStudio({
        appDir: studioAppDir, workspaceDir: workspace.path, logName: testInfo.title.replace(/\W+/g, '-'),
        env: { ...vendors.env, STUDIO_DEMO: '1', STUDIO_DEMO_TASKS: tasksFile },
    });
    try {
        await page.goto(studio.loginUrl(workspace.path));
        await page.waitForSelector('.theia-preload', { state: 'detached' });
        await expect(page.locator('#status-bar-coditect-demo-mode')).toContainText('Demo');
        await page.keyboard.press('Control+Shift+P');
        await page.keyboard.type('CODITECT: Show Agent Activity');
        await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText('CODITECT: Show Agent Activity');
        await page.keyboard.press('Enter');

        const busy = page.locator('#coditect-agent-activity .coditect-agent-card:not(.coditect-agent-idle)');
        await expect.poll(() => busy.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
        await saveScreenshot('demo-agents-busy');

        // Every agent finishes its recorded task, with its tokens counted.
        await expect(page.locator('#coditect-agent-activity .coditect-agent-card.coditect-agent-idle')).toHaveCount(4, { timeout: 120_000 });
        for (const name of ['Claude', 'Gemini', 'Codex', 'Kimi']) {
            await expect(page.locator('#coditect-agent-activity .coditect-agent-card', { hasText: name })).not.toContainText(/^0 tokens/);
        }
    } finally {
        await studio.stop();
        await vendors.stop();
    }
});
