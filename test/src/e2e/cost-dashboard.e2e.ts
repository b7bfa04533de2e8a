import * as fs from 'node:fs';
import type { Page } from '@playwright/test';
import { launchDemoStudio } from '../lib/demo-studio';
import { expect, test } from './studio-fixture';
import { StudioViews } from '@coditect/studio-platform/common';

test.use({ workspaceFiles: ['test/fixtures/demo-workspace'] });

async function runCommand(page: Page, command: string): Promise<void> {
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type(command);
    await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText(command);
    await page.keyboard.press('Enter');
}

/** Picks the quick-pick row with this label, or types into the input box, and confirms. */
async function answer(page: Page, text: string, pick: boolean): Promise<void> {
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await expect(input).toBeVisible();
    await input.fill(text);
    if (pick) {
        await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText(text);
    }
    await page.keyboard.press('Enter');
}

// The demo's four recorded agents run through their vendors' real SDKs; the dashboard then shows what each cost.
test('the Cost Dashboard shows the spend of several agents after a demo run, live, with budgets an admin sets and a CSV export', async ({ page, workspace, saveScreenshot }, testInfo) => {
    const demo = await launchDemoStudio({
        workspaceDir: workspace.path, logName: testInfo.title.replace(/\W+/g, '-'), turnDelayMs: 300,
        env: {
            STUDIO_COST_TIMEZONE: 'UTC',
            STUDIO_COST_VCPU_HOUR_USD: '0.0475', STUDIO_COST_STORAGE_GB_MONTH_USD: '0.17', STUDIO_COST_VCPUS: '2', STUDIO_COST_STORAGE_GB: '20',
        },
    });
    const { studio, vendors } = demo;
    try {
        await page.goto(studio.loginUrl(workspace.path));
        await page.waitForSelector('.theia-preload', { state: 'detached' });
        const status = page.locator('#status-bar-coditect-costs-today');
        await expect(status).toContainText('today');

        await runCommand(page, 'CODITECT: Show Cost Dashboard');
        const dashboard = page.locator(`#${StudioViews.costDashboard}`);
        await expect(dashboard.locator('.coditect-costs-cards')).toBeVisible();
        // Live: every agent's spend appears as its recorded turns are priced, with no reload.
        const agentRows = dashboard.locator('.coditect-costs-agents tr[data-agent-id]');
        await expect(agentRows).toHaveCount(4);
        for (const agent of ['claude', 'gemini', 'codex', 'kimi']) {
            await expect(dashboard.locator(`.coditect-costs-agents tr[data-agent-id="${agent}"] td.num`).last()).not.toHaveText('$0.00', { timeout: 60_000 });
        }
        await expect(dashboard.locator('.coditect-costs-tasks tr[data-task-id]')).toHaveCount(4, { timeout: 30_000 });
        await expect(dashboard.locator('.coditect-costs-models tr[data-model="claude-sonnet-4-5"]')).toContainText('$0.0136');
        await expect(dashboard.locator('.recharts-surface').first()).toBeVisible();
        await expect(status).not.toContainText('$0.00');

        // An admin (the local user) sets two budgets through the command palette; the bars appear.
        await runCommand(page, 'CODITECT: Set Budget…');
        await answer(page, 'Workspace', true);
        await answer(page, 'Monthly', true);
        await answer(page, '0.10', false);
        await runCommand(page, 'CODITECT: Set Budget…');
        await answer(page, 'Claude', true);
        await answer(page, 'Daily', true);
        await answer(page, '0.05', false);
        await expect(dashboard.locator('.coditect-costs-budget')).toHaveCount(2);
        await expect(dashboard.locator('.coditect-costs-budget[data-budget="workspace-month"]')).toContainText('of $0.10');
        await expect(dashboard.locator('.coditect-costs-budget[data-budget="claude-day"]')).toContainText('of $0.05 · 27%');

        await dashboard.locator('.coditect-costs-cards').scrollIntoViewIfNeeded();
        await saveScreenshot('cost-dashboard');

        // The ledger as CSV: a header, one line per model turn (3 per agent), and the infrastructure line.
        const [download] = await Promise.all([page.waitForEvent('download'), dashboard.getByRole('button', { name: 'Export CSV' }).click()]);
        const csv = fs.readFileSync(await download.path(), 'utf8').trim().split('\r\n');
        expect(csv[0]).toMatch(/^time_utc,day,kind,agent_id/);
        expect(csv.filter(line => /^[^,]+,[^,]+,model,/.test(line))).toHaveLength(12);
        expect(csv.filter(line => /^[^,]+,[^,]+,infrastructure,/.test(line))).toHaveLength(1);

        // A task links to the session timeline, which opens on it.
        await dashboard.locator('.coditect-costs-tasks tr[data-task-id] a').first().click();
        await expect(page.locator(`#${StudioViews.sessionTimeline}`)).toBeVisible();
    } finally {
        // Which recorded turns each vendor served: what to look at first when an agent's spend never appears.
        testInfo.annotations.push({ type: 'vendors', description: Object.entries(vendors.servers).map(([v, s]) => `${v}: ${s.requests.length} requests`).join(', ') + (vendors.failures().length ? `; failures: ${vendors.failures().join('; ')}` : '') });
        await demo.stop();
    }
});
