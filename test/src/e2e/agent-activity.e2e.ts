import { expect, test } from './studio-fixture';
import { StudioViews } from '@coditect/studio-platform/common';

/** Each task of an agent: think, write a note, finish; slow enough to watch. */
const scriptFor = (agent: string) => [
    { delayMs: 2500, text: `${agent} writes a note.`, toolCalls: [{ name: 'write_file', arguments: { path: `notes/${agent}.md`, content: `# Notes by ${agent}\n` } }] },
    { delayMs: 1500, toolCalls: [{ name: 'finish', arguments: { summary: `${agent} wrote notes/${agent}.md` } }] },
];

test.use({ workspaceFiles: ['test/fixtures/sample-workspace', 'test/fixtures/workflows'], agentScript: { agents: { claude: scriptFor('claude'), gemini: scriptFor('gemini') } } });

test('tasks submitted to two agents move their cards and queue entries through their states; a workflow runs two steps at once, then one that needs both', async ({ app, page, saveScreenshot }) => {
    const palette = async (command: string) => {
        await app.quickCommandPalette.open();
        await app.quickCommandPalette.type(command);
        await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText(command);
        await page.keyboard.press('Enter');
    };
    await palette('CODITECT: Show Agent Activity');
    const cards = page.locator(`#${StudioViews.agentActivity} .coditect-agent-card`);
    await expect(cards).toHaveCount(4);
    const card = (id: string) => page.locator(`#${StudioViews.agentActivity} .coditect-agent-card[data-agent-id="${id}"]`);
    await expect(card('claude')).toContainText('idle');

    await palette('CODITECT: Show Task Queue');
    const queue = page.locator(`#${StudioViews.taskQueue}`);
    for (const [agent, prompt] of [['claude', 'Write your notes'], ['gemini', 'Write your notes too']]) {
        await queue.locator('select.coditect-task-agent').selectOption(agent);
        await queue.locator('textarea.coditect-task-prompt').fill(prompt);
        await queue.getByRole('button', { name: 'Submit' }).click();
    }

    // Both agents work at once: their cards say so, and both tasks are running.
    await expect(card('claude')).toContainText('executing');
    await expect(card('gemini')).toContainText('executing');
    await expect(card('claude')).toContainText('Task #');
    await expect(queue.locator('.coditect-tasks-running .coditect-task')).toHaveCount(2);
    await saveScreenshot('agents-executing');

    // Then both finish: back to idle, tasks done with their summaries, the files are there.
    await expect(card('claude')).toContainText('idle', { timeout: 30_000 });
    await expect(card('gemini')).toContainText('idle', { timeout: 30_000 });
    const finished = queue.locator('.coditect-tasks-finished .coditect-task-done');
    await expect(finished).toHaveCount(2);
    await expect(finished.filter({ hasText: 'Gemini' })).toContainText('gemini wrote notes/gemini.md');
    await saveScreenshot('agents-done');

    // A reload restores both views from the backend.
    await page.reload();
    await app.waitForShellAndInitialized();
    await palette('CODITECT: Show Task Queue');
    await expect(page.locator(`#${StudioViews.taskQueue} .coditect-tasks-finished .coditect-task-done`)).toHaveCount(2);

    // The workspace's workflow from the palette: Claude's and Gemini's notes at once, then Claude's review of both.
    await palette('CODITECT: Run Workflow…');
    await expect(page.locator('.quick-input-widget .monaco-list-row', { hasText: 'notes-review' })).toContainText('claude-notes (claude) + gemini-notes (gemini) → review (claude)');
    await page.keyboard.press('Enter');
    await expect(page.locator('.quick-input-widget')).toContainText('What is notes-review for?');
    await page.keyboard.type('the sample workspace');
    await page.keyboard.press('Enter');
    const run = page.locator(`#${StudioViews.taskQueue} .coditect-workflow-run`);
    await expect(run).toContainText('notes-review #1 · the sample workspace');
    const step = (id: string) => run.locator(`.coditect-workflow-step[data-step="${id}"]`);
    await expect(step('claude-notes')).toHaveClass(/coditect-workflow-step-running/);
    await expect(step('gemini-notes')).toHaveClass(/coditect-workflow-step-running/);
    await expect(step('review')).toHaveClass(/coditect-workflow-step-waiting/);
    await expect(queue.locator('.coditect-tasks-running .coditect-task')).toHaveCount(2);
    await saveScreenshot('workflow-running');
    await expect(run).toHaveClass(/coditect-workflow-done/, { timeout: 60_000 });
    await expect(run.locator('.coditect-workflow-step-done')).toHaveCount(3);
    // The review's task sits under the first step it followed, and got both summaries.
    const review = queue.locator('.coditect-tasks-finished .coditect-task', { hasText: 'notes-review #1 · review' });
    await expect(review.locator('.coditect-task-parent')).toBeVisible();
    await saveScreenshot('workflow-done');
    // The session timeline records the run: its end is among the last events, where a live session opens.
    await palette('CODITECT: Show Session Timeline');
    await expect(page.locator(`#${StudioViews.sessionTimeline} .coditect-timeline-row.kind-workflow`, { hasText: 'Workflow notes-review #1 (the sample workspace) done' })).toHaveCount(1);
});

test.describe('Task Queue as a developer', () => {
    /** Claude hands a sub-task to Gemini, which takes its time: the sub-task is Claude's, not the developer's. */
    test.use({
        studioEnv: { STUDIO_USER_ROLE: 'developer' },
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

    test('offers Cancel on the tasks the developer gave, not on a task an agent delegated', async ({ app, page, saveScreenshot }) => {
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
