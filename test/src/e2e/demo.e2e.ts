import { launchDemoStudio } from '../lib/demo-studio';
import { expect, test } from './studio-fixture';
import { StudioViews } from '@coditect/studio-platform/common';

test.use({ workspaceFiles: ['test/fixtures/demo-workspace'] });

// The demo as `npm run demo` sets it up: recorded vendors on loopback, reached through the real SDKs.
// This test starts its own studio (not the fixture's) because the vendors must run before it.
test('the demo: with no key, several agents work at once through their vendors\' SDKs, and the studio says it is a demo', async ({ page, workspace, saveScreenshot }, testInfo) => {
    test.setTimeout(240_000);
    // The vendors hold their answers until the agents have been seen at work: a loaded machine may
    // take longer to show the IDE than the agents take to finish.
    let release!: () => void;
    const seenAtWork = new Promise<void>(resolve => release = resolve);
    const demo = await launchDemoStudio({ workspaceDir: workspace.path, logName: testInfo.title.replace(/\W+/g, '-'), turnDelayMs: 2_000, holdUntil: seenAtWork });
    const { studio } = demo;
    try {
        await page.goto(studio.loginUrl(workspace.path));
        await page.waitForSelector('.theia-preload', { state: 'detached' });
        await expect(page.locator('#status-bar-coditect-demo-mode')).toContainText('Demo');
        await page.keyboard.press('Control+Shift+P');
        await page.keyboard.type('CODITECT: Show Agent Activity');
        await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText('CODITECT: Show Agent Activity');
        await page.keyboard.press('Enter');

        const busy = page.locator(`#${StudioViews.agentActivity} .coditect-agent-card:not(.coditect-agent-idle)`);
        await expect.poll(() => busy.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
        await saveScreenshot('demo-agents-busy');
        release();

        // Every agent finishes its recorded task, with its tokens counted.
        await expect(page.locator(`#${StudioViews.agentActivity} .coditect-agent-card.coditect-agent-idle`)).toHaveCount(4, { timeout: 120_000 });
        for (const name of ['Claude', 'Gemini', 'Codex', 'Kimi']) {
            await expect(page.locator(`#${StudioViews.agentActivity} .coditect-agent-card`, { hasText: name })).not.toContainText(/^0 tokens/);
        }
    } finally {
        release();
        await demo.stop();
    }
});
