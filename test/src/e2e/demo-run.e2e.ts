import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ORCHESTRATOR_PATH } from '@coditect/agent-activity/common';
import { StudioViews } from '@coditect/studio-platform/common';
import { DemoStudio, launchDemoStudio } from '../lib/demo-studio';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { answerQuickInput, palette } from './command-palette';
import { expect, shareStudio, test } from './studio-fixture';
import { filterByPath, scrub, shownPosition } from './timeline-view';

// One demo run, as `npm run demo` sets it up (recorded vendors on loopback, reached through the
// real SDKs), watched from every side in turn: the agents at work, the session timeline, the cost
// dashboard, an imported transcript beside the run, and last where the provider keys did not go. One studio for the five: each start and
// first page load costs about 35 s of a loaded 2-core machine. The tests run in order; the last
// stops the studio to scan everything it wrote.

// The vendors hold their answers until the first test has seen the agents at work: a loaded
// machine may take longer to show the IDE than the agents take to finish.
let releaseVendors!: () => void;
const seenAtWork = new Promise<void>(resolve => releaseVendors = resolve);
const replicaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-replica-'));
/** Everything the studio sent the browser, from the first page load on. */
const seenByBrowser: Buffer[] = [];
let demo: DemoStudio | undefined;

const shared = shareStudio({
    workspaceFiles: ['test/fixtures/demo-workspace', 'test/fixtures/transcripts'], logName: 'demo-run',
    launch: async workspaceDir => demo = await launchDemoStudio({
        workspaceDir, logName: 'demo-run', turnDelayMs: 1_000, holdUntil: seenAtWork,
        // Keys no fixture contains, so finding one anywhere is a leak.
        keys: variable => `sk-planted-${variable.toLowerCase()}-${Math.random().toString(36).slice(2)}`,
        env: {
            STUDIO_REPLICA_URL: `file://${replicaDir}`,
            STUDIO_COST_TIMEZONE: 'UTC',
            STUDIO_COST_VCPU_HOUR_USD: '0.0475', STUDIO_COST_STORAGE_GB_MONTH_USD: '0.17', STUDIO_COST_VCPUS: '2', STUDIO_COST_STORAGE_GB: '20',
        },
    }),
    beforeLoad: page => {
        page.on('websocket', socket => socket.on('framereceived', frame => seenByBrowser.push(Buffer.from(frame.payload))));
        page.on('response', response => response.body().then(body => seenByBrowser.push(body), () => undefined));
    },
});

test.afterAll(() => {
    releaseVendors();
    fs.rmSync(replicaDir, { recursive: true, force: true });
});

test('the demo: with no key, several agents work at once through their vendors\' SDKs, and the studio says it is a demo', async () => {
    test.setTimeout(240_000);
    const { page, saveScreenshot } = shared();
    try {
        await expect(page.locator('#status-bar-coditect-demo-mode')).toContainText('Demo');
        await palette(page, 'CODITECT: Show Agent Activity');
        const busy = page.locator(`#${StudioViews.agentActivity} .coditect-agent-card:not(.coditect-agent-idle)`);
        await expect.poll(() => busy.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
        await saveScreenshot('demo-agents-busy');
    } finally {
        releaseVendors();
    }
    // Every agent finishes its recorded task, with its tokens counted (the five role agents had none and stayed idle).
    await expect(page.locator(`#${StudioViews.agentActivity} .coditect-agent-card.coditect-agent-idle`)).toHaveCount(9, { timeout: 120_000 });
    for (const id of ['claude', 'gemini', 'codex', 'kimi']) {
        await expect(page.locator(`#${StudioViews.agentActivity} .coditect-agent-card[data-agent-id="${id}"]`)).not.toContainText(/^0 tokens/);
    }
});

test('the session timeline records the four agents; the scrubber rewinds it; an edit opens in the diff editor; the workspace shows as it was', async () => {
    const { page, saveScreenshot } = shared();
    await palette(page, 'CODITECT: Show Task Queue');
    // Every task ends; Claude's (the edit this test follows) is done. A replay that a loaded machine knocked off its script
    // fails its task, which the recorded vendors report.
    await expect(page.locator(`#${StudioViews.taskQueue} .coditect-tasks-finished .coditect-task`)).toHaveCount(4, { timeout: 60_000 });
    await expect(page.locator(`#${StudioViews.taskQueue} .coditect-tasks-finished .coditect-task`, { hasText: 'Claude' }), demo?.vendors.failures().join('\n'))
        .toHaveClass(/coditect-task-done/);

    // The timeline gets the whole editor area.
    await palette(page, 'View: Toggle Bottom Panel');
    await palette(page, 'CODITECT: Show Session Timeline');
    const view = page.locator(`#${StudioViews.sessionTimeline}`);
    await expect(view.locator('.coditect-timeline-session.live')).toHaveCount(1);
    await expect(view.locator('.coditect-timeline-header')).toContainText('Live');
    for (const name of ['Claude', 'Gemini', 'Codex', 'Kimi', 'Studio']) {
        await expect(view.locator('.coditect-timeline-lane-chip', { hasText: name })).toHaveCount(1);
    }
    await expect(view.locator('.coditect-timeline-row.selected')).toHaveCount(1);

    // Scrub back to early in the run, then forward: the selection and position follow the thumb.
    const range = view.locator('input.coditect-timeline-range');
    await scrub(page, range, 0.5, 0.1);
    await expect.poll(() => shownPosition(view)).toBeLessThan(60);
    const early = await shownPosition(view);
    const earlySeq = await view.locator('.coditect-timeline-row.selected').getAttribute('data-seq');
    await scrub(page, range, 0.1, 0.7);
    await expect.poll(() => shownPosition(view)).toBeGreaterThan(early + 20);
    await expect(view.locator('.coditect-timeline-row.selected')).not.toHaveAttribute('data-seq', earlySeq!);
    await expect(view.locator('.coditect-timeline-position')).not.toContainText('following');

    // Narrow to one file; its edit shows its diff in the detail, and opens in Theia's diff editor.
    await filterByPath(view, 'src/greet.ts');
    const edit = view.locator('.coditect-timeline-row.kind-file-edit');
    await expect(edit).toHaveCount(1);
    await edit.click();
    const detail = view.locator('.coditect-timeline-detail');
    await expect(detail).toContainText('Edited src/greet.ts');
    await expect(detail.locator('.coditect-timeline-patch .added')).toContainText('return `Hello, ${name}!`;');
    await saveScreenshot('session-timeline');

    await detail.getByRole('button', { name: 'Open Diff' }).click();
    const diff = page.locator('.monaco-diff-editor');
    await expect(diff).toBeVisible();
    await expect(page.locator('#theia-main-content-panel .lm-TabBar-tab.lm-mod-current, #theia-main-content-panel .p-TabBar-tab.p-mod-current')).toContainText('greet.ts (before ↔ after #');
    await expect(diff.locator('.editor.original')).toContainText(/'Hello,\s'\s\+\sname/);
    await expect(diff.locator('.editor.modified')).toContainText(/Hello,\s\$\{name\}!/);
    await saveScreenshot('session-timeline-diff');

    // Back to the start of the run: the workspace as it was then, read-only.
    await page.locator('#theia-main-content-panel .lm-TabBar-tab, #theia-main-content-panel .p-TabBar-tab', { hasText: 'Session Timeline' }).click();
    await filterByPath(view, '');
    await view.locator('.coditect-timeline-scrubber [title="First event (Home)"]').click();
    await expect.poll(() => shownPosition(view)).toBe(1);
    await view.getByRole('button', { name: 'Workspace at This Point' }).click();
    await expect(page.locator('.quick-input-widget')).toContainText('src/greet.ts');
    await page.keyboard.type('greet');
    await page.keyboard.press('Enter');
    const past = page.locator('#theia-main-content-panel .lm-TabBar-tab, #theia-main-content-panel .p-TabBar-tab', { hasText: /greet\.ts @ #\d+/ });
    await expect(past).toHaveCount(1);
    const editor = page.locator('.monaco-editor').filter({ hasText: 'export function greet' }).last();
    await expect(editor).toContainText(/'Hello,\s'\s\+\sname/);
    await saveScreenshot('session-timeline-past-file');

    // The task queue links each task to its place on the timeline.
    await palette(page, 'CODITECT: Show Task Queue');
    const task = page.locator(`#${StudioViews.taskQueue} .coditect-tasks-finished .coditect-task`).first();
    const taskId = await task.getAttribute('data-task-id');
    await task.locator('.coditect-task-timeline').click();
    await expect(view.locator('.coditect-timeline-event-header')).toContainText(`task #${taskId}`);
});

test('the Cost Dashboard shows the spend of the demo\'s agents, with budgets an admin sets and a CSV export', async () => {
    const { page, saveScreenshot } = shared();
    try {
        const status = page.locator('#status-bar-coditect-costs-today');
        await expect(status).toContainText('today');
        await expect(status).not.toContainText('$0.00');

        await palette(page, 'CODITECT: Show Cost Dashboard');
        const dashboard = page.locator(`#${StudioViews.costDashboard}`);
        await expect(dashboard.locator('.coditect-costs-cards')).toBeVisible();
        const agentRows = dashboard.locator('.coditect-costs-agents tr[data-agent-id]');
        // The demo's four agents spent; the role agents, which had no task, are listed at nothing.
        await expect(agentRows).toHaveCount(9);
        for (const agent of ['claude', 'gemini', 'codex', 'kimi']) {
            await expect(dashboard.locator(`.coditect-costs-agents tr[data-agent-id="${agent}"] td.num`).last()).not.toHaveText('$0.00');
        }
        await expect(dashboard.locator('.coditect-costs-tasks tr[data-task-id]')).toHaveCount(4);
        await expect(dashboard.locator('.coditect-costs-models tr[data-model="claude-sonnet-4-5"]')).toContainText('$0.0136');
        await expect(dashboard.locator('.recharts-surface').first()).toBeVisible();

        // An admin (the local user) sets two budgets through the command palette; the bars appear live.
        await palette(page, 'CODITECT: Set Budget…');
        await answerQuickInput(page, 'Workspace', true);
        await answerQuickInput(page, 'Monthly', true);
        await answerQuickInput(page, '0.10', false);
        await palette(page, 'CODITECT: Set Budget…');
        await answerQuickInput(page, 'Claude', true);
        await answerQuickInput(page, 'Daily', true);
        await answerQuickInput(page, '0.05', false);
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
        const vendors = demo?.vendors;
        test.info().annotations.push({ type: 'vendors', description: vendors ? Object.entries(vendors.servers).map(([v, s]) => `${v}: ${s.requests.length} requests`).join(', ') + (vendors.failures().length ? `; failures: ${vendors.failures().join('; ')}` : '') : 'not started' });
    }
});

// Last but one: an imported session joins the run's (the planted-keys scan below stops the studio).
test('the session timeline imports a Claude Code transcript from a file dialog with progress, names every skipped line, and shows the session', async () => {
    const { page, saveScreenshot } = shared();
    await palette(page, 'CODITECT: Import Agent Transcript…');
    const dialog = page.locator('.dialogOverlay');
    await expect(dialog).toBeVisible();
    await dialog.locator('.theia-TreeNode', { hasText: 'claude-code-session.jsonl' }).click();
    await dialog.getByRole('button', { name: 'Import' }).click();

    const notice = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'Imported claude-code-session.jsonl' });
    await expect(notice).toContainText('as "Fix cart total ignoring quantities": 22 events from 22 lines');
    await expect(notice).toContainText('Skipped 4 line(s): line 11, not valid JSON');
    await expect(notice).toContainText('line 14, unknown entry type "telemetry-beacon"; line 17, not a JSON object; and 1 more.');
    await notice.getByRole('button', { name: 'Show Skipped Lines' }).click();
    const picks = page.locator('.quick-input-widget .monaco-list-row');
    await expect(picks).toHaveCount(4);
    await expect(page.locator('.quick-input-widget')).toContainText('unknown entry type "telemetry-beacon"');
    await page.keyboard.press('Escape');

    await palette(page, 'CODITECT: Show Session Timeline');
    const view = page.locator(`#${StudioViews.sessionTimeline}`);
    await view.locator('.coditect-timeline-session', { hasText: 'Fix cart total ignoring quantities' }).click();
    await expect(view.locator('.coditect-timeline-header')).toContainText('Imported');
    await expect(view.locator('.coditect-timeline-lane-chip', { hasText: 'Claude Code' })).toHaveCount(1);
    await filterByPath(view, 'src/cart.ts');
    const edits = view.locator('.coditect-timeline-row.kind-file-edit');
    await expect(edits).toHaveCount(1);
    await edits.click();
    await expect(view.locator('.coditect-timeline-detail')).toContainText('Edited src/cart.ts');
    await saveScreenshot('session-timeline-import');
    await view.locator('.coditect-timeline-detail').getByRole('button', { name: 'Open Diff' }).click();
    // The run's own diff (the timeline test's) stays open in its tab: this one is the transcript's.
    await expect(page.locator('.monaco-diff-editor .editor.modified', { hasText: 'i.price * i.quantity' })).toBeVisible();
});

test('the planted provider keys reached neither the browser, nor the logs, the databases, the timeline or the archives', async () => {
    const { studio } = shared();
    const rpc = await StudioRpcClient.connect(studio.url, { headers: studio.authHeaders });
    try {
        const orchestrator = await rpc.service<{ tasks(): Promise<{ status: string; agentId: string }[]> }>(ORCHESTRATOR_PATH);
        await expect.poll(async () => (await orchestrator.tasks()).filter(t => t.status === 'done').length, { timeout: 90_000 }).toBeGreaterThanOrEqual(4);
    } finally {
        rpc.close();
    }
    // Stopping flushes the final replication and file sync: everything that would be archived is on disk now.
    const filesOf = (dir: string): string[] => fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter(e => e.isFile()).map(e => path.join(e.parentPath, e.name)) : [];
    const scanBeforeStop = filesOf(studio.dataDir).map(f => ({ f, content: fs.readFileSync(f) }));
    await demo!.stop();
    const everywhere = [
        ...seenByBrowser.map((content, i) => ({ f: `browser message #${i}`, content })),
        { f: studio.logFile, content: fs.readFileSync(studio.logFile) },
        ...scanBeforeStop,
        ...filesOf(replicaDir).map(f => ({ f, content: fs.readFileSync(f) })),
    ];
    expect(everywhere.length).toBeGreaterThan(20);
    expect(scanBeforeStop.some(({ f }) => f.endsWith('sessions.db'))).toBe(true);
    expect(Object.keys(demo!.keys).length).toBeGreaterThanOrEqual(4);
    for (const key of Object.values(demo!.keys)) {
        const leaks = everywhere.filter(({ content }) => content.includes(key)).map(({ f }) => f);
        expect(leaks, `planted key found in ${leaks.join(', ')}`).toEqual([]);
    }
});
