import { StudioViews } from '@coditect/studio-platform/common';
import { expect, shareStudio, test } from './studio-fixture';
import { openConsole, typeAndRun } from './sql-console-view';

// A developer's studio (STUDIO_USER_ROLE=developer), one for both tests: what the role may read and
// do, in the SQL console and the Task Queue. The Task Queue's scripted agents (Claude hands a
// sub-task to Gemini, which takes its time) run last.
test.describe('as a developer', () => {
    const shared = shareStudio({
        workspaceFiles: ['test/fixtures/sample-workspace'], logName: 'developer', env: { STUDIO_USER_ROLE: 'developer' },
        agentScript: {
            agents: {
                claude: [
                    { delayMs: 500, toolCalls: [{ name: 'delegate', arguments: { agent: 'gemini', prompt: 'Review the notes' } }] },
                    { delayMs: 500, toolCalls: [{ name: 'finish', arguments: { summary: 'delegated' } }] },
                ],
                gemini: [{ delayMs: 60_000, toolCalls: [{ name: 'finish', arguments: { summary: 'reviewed' } }] }],
            },
        },
    });

    test('the SQL console reads, but a write is refused by the backend with a message naming the role', async () => {
        const { app, page, saveScreenshot } = shared();
        const view = await openConsole(app, page);
        await expect(view.locator('.sql-allow-writes')).toHaveCount(0);
        await expect(view.locator('.sql-mode-badge')).toHaveText(/Read-only/);
        await typeAndRun(page, view, 'DELETE FROM settings');
        const refusal = view.locator('.sql-error-forbidden');
        await expect(refusal).toContainText('Not allowed for your role');
        await expect(refusal).toContainText('Your role (developer) may only read; writes need the admin role.');
        await saveScreenshot('sql-console-developer-write-refused');

        await typeAndRun(page, view, 'SELECT count(*) AS settings FROM settings');
        await expect(view.locator('.sql-grid .sql-grid-row').first()).toContainText('0');
        await expect(view.locator('.sql-error')).toHaveCount(0);
    });

    test('the Task Queue offers Cancel on the tasks the developer gave, not on a task an agent delegated', async () => {
        const { app, page, saveScreenshot } = shared();
        await app.quickCommandPalette.open();
        await app.quickCommandPalette.type('CODITECT: Show Task Queue');
        await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText('CODITECT: Show Task Queue');
        await page.keyboard.press('Enter');
        const queue = page.locator(`#${StudioViews.taskQueue}`);
        await queue.locator('select.coditect-task-agent').selectOption('claude');
        await queue.locator('textarea.coditect-task-prompt').fill('Get the notes reviewed');
        await queue.getByRole('button', { name: 'Submit' }).click();

        const running = queue.locator('.coditect-tasks-running .coditect-task');
        await expect(running).toHaveCount(2, { timeout: 30_000 });
        const own = running.filter({ hasText: 'Get the notes reviewed' });
        const delegated = running.filter({ hasText: 'Review the notes' });
        await expect(own.locator('.codicon-close')).toHaveCount(1);
        await expect(delegated).toContainText('Gemini');
        await expect(delegated.locator('.codicon-close')).toHaveCount(0);
        // The tree: the sub-task right under the task that delegated it, marked with its parent.
        const ownId = await own.getAttribute('data-task-id');
        await expect(running.nth(1)).toHaveAttribute('data-task-id', await delegated.getAttribute('data-task-id') ?? '');
        await expect(delegated.locator('.coditect-task-parent')).toHaveText(`#${ownId} `);
        await expect(delegated.locator('.coditect-task-parent .codicon-type-hierarchy-sub')).toBeVisible();
        await saveScreenshot('task-queue-developer');
        // Cancelling their own task stops the sub-task it is waiting on too.
        await own.locator('.codicon-close').click();
        const finished = queue.locator('.coditect-tasks-finished .coditect-task-cancelled');
        await expect(finished).toHaveCount(2, { timeout: 30_000 });
        await expect(finished.filter({ hasText: 'Review the notes' })).toContainText('the delegating task 1 stopped');
    });
});
