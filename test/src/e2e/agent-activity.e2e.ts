import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, shareStudio, test } from './studio-fixture';
import { StudioViews } from '@coditect/studio-platform/common';
import { answerQuickInput, palette } from './command-palette';

/** Each task of an agent: think, write a note, finish; slow enough to watch. */
const scriptFor = (agent: string) => [
    { delayMs: 2500, text: `${agent} writes a note.`, toolCalls: [{ name: 'write_file', arguments: { path: `notes/${agent}.md`, content: `# Notes by ${agent}\n` } }] },
    { delayMs: 1500, toolCalls: [{ name: 'finish', arguments: { summary: `${agent} wrote notes/${agent}.md` } }] },
];

/** A team: Codex hands tests and docs to two role agents at once; they tell each other what they wrote. */
const team = {
    codex: [
        {
            delayMs: 500, toolCalls: [{
                name: 'delegate', arguments: {
                    tasks: [{ agent: 'test-writer', prompt: 'Write tests for src/greeting.ts' }, { agent: 'doc-generator', prompt: 'Document src/greeting.ts' }],
                },
            }],
        },
        { delayMs: 500, toolCalls: [{ name: 'finish', arguments: { summary: 'The team wrote the tests and the docs' } }] },
    ],
    'test-writer': [
        {
            delayMs: 6000, toolCalls: [
                { name: 'write_file', arguments: { path: 'test/greeting.test.ts', content: 'import { greeting } from \'../src/greeting\';\n' } },
                { name: 'send_message', arguments: { to: 'doc-generator', text: 'Tests are in test/greeting.test.ts' } },
            ],
        },
        { delayMs: 1500, toolCalls: [{ name: 'finish', arguments: { summary: 'test-writer wrote test/greeting.test.ts' } }] },
    ],
    'doc-generator': [
        {
            delayMs: 6000, toolCalls: [
                { name: 'write_file', arguments: { path: 'docs/greeting.md', content: '# greeting\n\nSays hello.\n' } },
                { name: 'send_message', arguments: { to: 'test-writer', text: 'Docs are in docs/greeting.md' } },
            ],
        },
        { delayMs: 1500, toolCalls: [{ name: 'finish', arguments: { summary: 'doc-generator wrote docs/greeting.md' } }] },
    ],
};

// One studio for the two tests (the team's workflow runs after the first's): the workspace's hook runs after every agent's edit.
const shared = shareStudio({
    workspaceFiles: ['test/fixtures/sample-workspace', 'test/fixtures/workflows', 'test/fixtures/team'], logName: 'agent-activity',
    agentScript: {
        agents: { claude: scriptFor('claude'), gemini: scriptFor('gemini'), ...team, 'code-reviewer': [{ delayMs: 500, toolCalls: [{ name: 'finish', arguments: { summary: 'APPROVED' } }] }] },
    },
});

test('tasks submitted to two agents move their cards and queue entries through their states; a workflow runs two steps at once, then one that needs both', async () => {
    const { app, page, saveScreenshot } = shared();
    await palette(page, 'CODITECT: Show Agent Activity');
    const cards = page.locator(`#${StudioViews.agentActivity} .coditect-agent-card`);
    // The four vendor agents, then the role agents under their heading, each saying what it is for.
    await expect(cards).toHaveCount(9);
    await expect(page.locator(`#${StudioViews.agentActivity} .coditect-agent-group`)).toHaveText('Role agents');
    await expect(cards.locator('.coditect-agent-name')).toHaveText(['Claude', 'Codex', 'Gemini', 'Kimi', 'CodeReviewer', 'DocGenerator', 'FileOrganizer', 'PriorSession', 'TestWriter']);
    const card = (id: string) => page.locator(`#${StudioViews.agentActivity} .coditect-agent-card[data-agent-id="${id}"]`);
    await expect(card('claude')).toContainText('idle');
    await expect(card('code-reviewer').locator('.coditect-agent-description')).toContainText('never edits');

    await palette(page, 'CODITECT: Show Task Queue');
    const queue = page.locator(`#${StudioViews.taskQueue}`);
    // Claude's task comes with a budget for itself and anything it delegates.
    for (const [agent, prompt, budget] of [['claude', 'Write your notes', '1.5'], ['gemini', 'Write your notes too', '']]) {
        await queue.locator('select.coditect-task-agent').selectOption(agent);
        await queue.locator('textarea.coditect-task-prompt').fill(prompt);
        await queue.locator('.coditect-task-budget-input input').fill(budget);
        await queue.getByRole('button', { name: 'Submit' }).click();
    }

    // Both agents work at once: their cards say so, and both tasks are running.
    await expect(card('claude')).toContainText('executing');
    await expect(card('gemini')).toContainText('executing');
    await expect(card('claude')).toContainText('Task #');
    await expect(queue.locator('.coditect-tasks-running .coditect-task')).toHaveCount(2);
    await expect(queue.locator('.coditect-task[data-task-id="1"] .coditect-task-budget')).toContainText('$1.50');
    await expect(queue.locator('.coditect-task[data-task-id="2"] .coditect-task-budget')).toHaveCount(0);
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
    await palette(page, 'CODITECT: Show Task Queue');
    await expect(page.locator(`#${StudioViews.taskQueue} .coditect-tasks-finished .coditect-task-done`)).toHaveCount(2);

    // The workspace's workflow from the palette: Claude's and Gemini's notes at once, then Claude's review of both.
    await palette(page, 'CODITECT: Run Workflow…');
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
    // The timeline gets the whole editor area, so those last events are all on screen (the list renders what is).
    await palette(page, 'View: Toggle Bottom Panel');
    await palette(page, 'CODITECT: Show Session Timeline');
    await expect(page.locator(`#${StudioViews.sessionTimeline} .coditect-timeline-row.kind-workflow`, { hasText: 'Workflow notes-review #1 (the sample workspace) done' })).toHaveCount(1);
});

test('a workflow whose lead agent delegates to two role agents at once; they message each other, the workspace\'s hook checks each edit, and the queue, the Message Bus and the timeline show it all', async () => {
    const { page, studio, saveScreenshot } = shared();
    // Both views open before the run starts: the sub-tasks' first turns take 6 s, the window to see them at work.
    await palette(page, 'CODITECT: Show Agent Activity');
    await palette(page, 'CODITECT: Show Task Queue');
    const queue = page.locator(`#${StudioViews.taskQueue}`);
    await palette(page, 'CODITECT: Run Workflow…');
    await answerQuickInput(page, 'team-feature', true);
    await answerQuickInput(page, 'src/greeting.ts', false);
    const run = queue.locator('.coditect-workflow-run', { hasText: 'team-feature' });
    await expect(run).toContainText('team-feature #2 · src/greeting.ts');

    // The two sub-tasks run at the same time, each under Codex's task, while Codex waits for both.
    const card = (id: string) => page.locator(`#${StudioViews.agentActivity} .coditect-agent-card[data-agent-id="${id}"]`);
    await expect(card('test-writer')).toContainText('executing', { timeout: 30_000 });
    await expect(card('doc-generator')).toContainText('executing');
    const running = queue.locator('.coditect-tasks-running .coditect-task');
    await expect(running).toHaveCount(3);
    const lead = running.filter({ hasText: 'team-feature #2 · lead' });
    const leadId = await lead.getAttribute('data-task-id');
    for (const prompt of ['Write tests for src/greeting.ts', 'Document src/greeting.ts']) {
        await expect(running.filter({ hasText: prompt }).locator('.coditect-task-parent')).toHaveText(`#${leadId} `);
    }
    await saveScreenshot('team-running');

    // All three end, the lead's summary after both of theirs; then the review step, and the run is done.
    await expect(run).toHaveClass(/coditect-workflow-done/, { timeout: 60_000 });
    const finished = queue.locator('.coditect-tasks-finished .coditect-task-done');
    await expect(finished.filter({ hasText: 'The team wrote the tests and the docs' })).toHaveCount(1, { timeout: 60_000 });
    await expect(finished.filter({ hasText: 'test-writer wrote test/greeting.test.ts' })).toHaveCount(1);
    await expect(finished.filter({ hasText: 'doc-generator wrote docs/greeting.md' })).toHaveCount(1);
    await saveScreenshot('team-queue');

    // Codex changed nothing itself: the Changes view lists its task for what its two sub-tasks changed, rolled up.
    await palette(page, 'CODITECT: Show Changes');
    const changes = page.locator(`#${StudioViews.changes}`);
    const leadSet = changes.locator(`.coditect-changes-agent[data-agent-id="codex"] .coditect-change-task[data-task-id="${leadId}"]`);
    await expect(leadSet.locator('.coditect-change-task-row .coditect-change-tree')).toHaveText('with 2 sub-task(s)');
    // Their two files, and the log their commands' hook appended to.
    await expect(leadSet.locator('.coditect-change-task-row .coditect-change-file-count')).toHaveText('3 file(s)');
    await expect(changes.locator('.coditect-changes-agent[data-agent-id="test-writer"]'), 'a sub-task is under its parent, not its agent').toHaveCount(0);
    await leadSet.locator('.coditect-change-task-row').click();
    const nested = leadSet.locator('.coditect-change-subtasks .coditect-change-task.nested');
    await expect(nested.locator('.coditect-change-task-agent')).toHaveText(['Test Writer', 'Doc Generator']);
    await nested.filter({ hasText: 'Test Writer' }).locator('.coditect-change-task-row').click();
    await expect(nested.locator('.coditect-change-file[data-path="test/greeting.test.ts"]')).toBeVisible();
    await saveScreenshot('team-changes');

    // What they said to each other, live in the Message Bus view, filtered to one of them.
    await palette(page, 'CODITECT: Show Message Bus');
    const bus = page.locator(`#${StudioViews.messageBus}`);
    await expect(bus.locator('.coditect-bus-message', { hasText: 'Tests are in test/greeting.test.ts' })).toContainText('TestWriter');
    await expect(bus.locator('.coditect-bus-message', { hasText: 'Tests are in test/greeting.test.ts' }).locator('.coditect-bus-to')).toHaveText('DocGenerator');
    await expect(bus.locator('.coditect-bus-message', { hasText: 'Docs are in docs/greeting.md' }).locator('.coditect-bus-to')).toHaveText('TestWriter');
    await bus.locator('input.coditect-bus-filter').fill('doc-generator');
    await expect(bus.locator('.coditect-bus-message')).toHaveCount(2);
    // A person answers them from the view, as the chat's @Bus would.
    await bus.locator('input.coditect-bus-draft').fill('doc-generator: thanks, the docs read well');
    await bus.locator('input.coditect-bus-draft').press('Enter');
    await expect(bus.locator('.coditect-bus-message').first()).toContainText('thanks, the docs read well');
    await expect(bus.locator('.coditect-bus-message')).toHaveCount(3);
    await saveScreenshot('team-message-bus');

    // The workspace's PostToolUse hook ran after each agent's edit.
    const hookLog = path.join(studio.workspaceDir, 'hook-log.txt');
    await expect.poll(() => fs.existsSync(hookLog) ? fs.readFileSync(hookLog, 'utf8') : '').toContain('checked test/greeting.test.ts');
    expect(fs.readFileSync(hookLog, 'utf8')).toContain('checked docs/greeting.md');

    // The timeline has the run's end among its last events, and each message in the lane of the agent that sent it.
    await palette(page, 'View: Toggle Bottom Panel');
    await palette(page, 'CODITECT: Show Session Timeline');
    const timeline = page.locator(`#${StudioViews.sessionTimeline}`);
    // Rows read on a loaded machine can show "…" for a while (their page on its way): a minute, not the default 20 s.
    await expect(timeline.locator('.coditect-timeline-row.kind-workflow', { hasText: 'Workflow team-feature #2 (src/greeting.ts) done' })).toHaveCount(1, { timeout: 60_000 });
    await card('test-writer').locator('.coditect-agent-timeline').click();
    await expect(timeline.locator('.coditect-timeline-row.kind-message', { hasText: 'Tests are in test/greeting.test.ts' })).toHaveCount(1);
    await expect(timeline.locator('.coditect-timeline-row.kind-file-edit', { hasText: 'test/greeting.test.ts' })).toHaveCount(1);
    await saveScreenshot('team-timeline');
});
