import type { Locator, Page } from '@playwright/test';
import { launchDemoStudio } from '../lib/demo-studio';
import { expect, test } from './studio-fixture';
import { StudioViews } from '@coditect/studio-platform/common';

async function palette(page: Page, command: string): Promise<void> {
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type(command);
    // The exact command, not the first fuzzy match ("…, recently used" when it was run before).
    await page.locator(`.quick-input-widget .monaco-list-row:is([aria-label="${command}"], [aria-label^="${command}, "])`).click();
}

/** Drags the scrubber's thumb to a fraction of its width, as a person scrubs. */
async function scrub(page: Page, range: Locator, from: number, to: number): Promise<void> {
    const box = (await range.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * from, y);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) {
        await page.mouse.move(box.x + box.width * (from + ((to - from) * i) / 8), y);
    }
    await page.mouse.up();
}

/** The position the scrubber's label shows ("123 / 456 events · #789 · …"). */
async function shownPosition(view: Locator): Promise<number> {
    const text = await view.locator('.coditect-timeline-position').innerText();
    return Number(/^([\d,]+) \//.exec(text)![1].replace(/,/g, ''));
}

/** The events in the session, as the scrubber's label says ("123 / 456 events · …"). */
async function shownEventCount(view: Locator): Promise<number> {
    const text = await view.locator('.coditect-timeline-position').innerText();
    return Number(/^[\d,]+ \/ ([\d,]+) event/.exec(text)![1].replace(/,/g, ''));
}

/** The events the filters let through, as the count beside them says ("12 events match"). */
async function shownMatchCount(view: Locator): Promise<number> {
    const text = await view.locator('.coditect-timeline-filter-count').innerText();
    return Number(/^([\d,]+) event/.exec(text)![1].replace(/,/g, ''));
}

/**
 * Types into the path filter and waits for the list it gives. The filter applies once typing
 * rests (300 ms); until then the list and the match count are still the previous filter's, so a
 * click at once could land on a row the filter is about to take away. Narrowing waits until the
 * match count is below the session's events; clearing, until the list holds more rows than the
 * narrowed one did.
 */
async function filterByPath(view: Locator, path: string): Promise<void> {
    const input = view.locator('input.coditect-timeline-path');
    if (path) {
        await input.fill(path);
        await expect.poll(async () => await shownMatchCount(view) < await shownEventCount(view), { message: `the list narrowed to ${path}` }).toBe(true);
    } else {
        const rows = view.locator('.coditect-timeline-row');
        const narrowed = await rows.count();
        await input.fill('');
        await expect.poll(() => rows.count(), { message: 'the whole session listed again' }).toBeGreaterThan(narrowed);
    }
}

test.describe('Session Timeline', () => {
    test.describe('the demo', () => {
        test.use({ workspaceFiles: ['test/fixtures/demo-workspace'] });

        test('records the demo\'s four agents; the scrubber rewinds it; an edit opens in the diff editor; the workspace shows as it was', async ({ page, workspace, saveScreenshot }, testInfo) => {
            const demo = await launchDemoStudio({ workspaceDir: workspace.path, logName: testInfo.title.replace(/\W+/g, '-'), turnDelayMs: 300 });
            const { studio, vendors } = demo;
            try {
                await page.goto(studio.loginUrl(workspace.path));
                await page.waitForSelector('.theia-preload', { state: 'detached' });
                await palette(page, 'CODITECT: Show Task Queue');
                // Every task ends; Claude's (the edit this test follows) is done. A replay that a loaded machine knocked off its script
                // fails its task, which the recorded vendors report.
                await expect(page.locator(`#${StudioViews.taskQueue} .coditect-tasks-finished .coditect-task`)).toHaveCount(4, { timeout: 60_000 });
                await expect(page.locator(`#${StudioViews.taskQueue} .coditect-tasks-finished .coditect-task`, { hasText: 'Claude' }), vendors.failures().join('\n'))
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
            } finally {
                await demo.stop();
            }
        });
    });

    test.describe('import', () => {
        test.use({ workspaceFiles: ['test/fixtures/transcripts'] });

        test('imports a Claude Code transcript from a file dialog with progress, names every skipped line, and shows the session', async ({ app, page, saveScreenshot }) => {
            await app.waitForShellAndInitialized();
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
            await expect(page.locator('.monaco-diff-editor .editor.modified')).toContainText('i.price * i.quantity');
        });
    });
});
