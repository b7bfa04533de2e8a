import type { Locator } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { palette } from './command-palette';
import { expect, test as studioTest } from './studio-fixture';
import { StudioViews } from '@coditect/studio-platform/common';

/** The real git CLI in the workspace, as a person in a terminal would run it. */
function git(cwd: string, ...args: string[]): string {
    return execFileSync('git', ['-c', 'user.name=E2E Developer', '-c', 'user.email=e2e@example.com', ...args], { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }).trim();
}

/** The workspace is a git repository with the sample's files committed, so Claude's command can commit its work. */
const test = studioTest.extend({
    workspace: async ({ workspace }, use) => {
        git(workspace.path, 'init', '-q', '--initial-branch=main');
        git(workspace.path, 'add', 'docs', 'src', 'package.json');
        git(workspace.path, 'commit', '-q', '-m', 'Initial commit');
        await use(workspace);
    },
});

const notesAfter = '# Project notes\n\nA small workspace the end-to-end tests open and the agents edit.\n';

/** Claude's one task: rewrite the notes (two hunks), edit the greeting, create a farewell, commit them; three files and a commit in one change set. */
test.use({
    // The agents defined in the workspace: Claude applies its edits at once; Gemini's definition says "apply": "after-review" (its edits wait in its overlay until a person accepts them).
    workspaceFiles: ['test/fixtures/sample-workspace', 'test/fixtures/after-review-agent'],
    agentScript: {
        agents: {
            gemini: [
                { delayMs: 300, text: 'A note of my own.', toolCalls: [{ name: 'write_file', arguments: { path: 'docs/gemini.md', content: '# Reviewed first\n' } }] },
                { delayMs: 300, toolCalls: [{ name: 'finish', arguments: { summary: 'Wrote docs/gemini.md.' } }] },
            ],
            claude: [
                { delayMs: 300, text: 'Rewording the notes.', toolCalls: [{ name: 'write_file', arguments: { path: 'docs/notes.md', content: notesAfter } }] },
                {
                    delayMs: 300, text: 'Louder greeting.',
                    toolCalls: [{ name: 'edit_file', arguments: { path: 'src/greeting.ts', old_text: 'return `Hello, ${name}!`;', new_text: 'return `Hello, ${name}!!`;' } }],
                },
                {
                    delayMs: 300, text: 'And a farewell.',
                    toolCalls: [{ name: 'write_file', arguments: { path: 'src/farewell.ts', content: 'export function farewell(name: string): string {\n    return `Goodbye, ${name}.`;\n}\n' } }],
                },
                { delayMs: 300, text: 'Committing it.', toolCalls: [{ name: 'run_command', arguments: { command: 'git add docs src && git commit -q -m "Tidy the notes and the greetings"' } }] },
                { delayMs: 300, toolCalls: [{ name: 'finish', arguments: { summary: 'Notes reworded, greeting louder, farewell added.' } }] },
            ],
        },
    },
});

// The page alone has taken two minutes to load on a loaded 2-core machine; the fixtures' start counts against the test's time.
test.describe.configure({ timeout: 420_000 });

/** A button of a row itself (not of the rows nested below it), by its accessible name. */
function button(row: Locator, name: string): Locator {
    return row.getByRole('button', { name, exact: true });
}

test('the Changes view lists a task\'s three files and its commit, opens a diff, rejects one hunk and accepts the rest, names a conflict, reveals a task by number, and opens its commit', async ({ app, page, workspace, saveScreenshot }) => {
    const onDisk = (file: string) => fs.readFileSync(path.join(workspace.path, file), 'utf8');
    await app.waitForShellAndInitialized();
    await palette(page, 'CODITECT: Show Task Queue');
    const queue = page.locator(`#${StudioViews.taskQueue}`);
    await queue.locator('select.coditect-task-agent').selectOption('claude');
    await queue.locator('textarea.coditect-task-prompt').fill('Tidy the notes and the greetings');
    await queue.getByRole('button', { name: 'Submit' }).click();

    await palette(page, 'CODITECT: Show Changes');
    const view = page.locator(`#${StudioViews.changes}`);
    await expect(view).toBeVisible();
    const group = view.locator('.coditect-changes-agent[data-agent-id="claude"]');
    await expect(group.locator('.coditect-changes-agent-header')).toContainText('Claude');
    const task = group.locator('.coditect-change-task', { hasText: 'Tidy the notes and the greetings' });
    const taskRow = task.locator('.coditect-change-task-row');
    // Live: the task appears with its first write, and its status follows the task to its end.
    await expect(taskRow).toContainText('3 file(s)', { timeout: 60_000 });
    await expect(taskRow.locator('.coditect-change-task-status')).toHaveText('done', { timeout: 60_000 });
    await expect(taskRow.locator('.coditect-change-review')).toHaveText('pending');
    await expect(taskRow).toContainText(/#\d+/);
    // The commit Claude's command made: counted on the task's row.
    await expect(taskRow.locator('.coditect-change-commit-count')).toHaveText('1 commit(s)');

    await taskRow.click();
    const files = task.locator('.coditect-change-file');
    await expect(files).toHaveCount(3);
    const file = (p: string) => task.locator(`.coditect-change-file[data-path="${p}"]`);
    const fileRow = (p: string) => file(p).locator('.coditect-change-file-row');
    await expect(fileRow('docs/notes.md').locator('.coditect-change-status')).toHaveText('M');
    await expect(fileRow('src/farewell.ts').locator('.coditect-change-status')).toHaveText('A');
    await expect(fileRow('src/greeting.ts').locator('.coditect-change-counts')).toHaveText('+1 −1');

    // The notes file's two hunks, with previews of their lines.
    await fileRow('docs/notes.md').click();
    const hunks = file('docs/notes.md').locator('.coditect-change-hunk');
    await expect(hunks).toHaveCount(2);
    await expect(hunks.nth(0).locator('.coditect-change-hunk-location')).toHaveText('line 1');
    await expect(hunks.nth(0).locator('.coditect-change-preview .removed')).toHaveText('-# Notes');
    await expect(hunks.nth(0).locator('.coditect-change-preview .added')).toHaveText('+# Project notes');
    await expect(hunks.nth(1).locator('.coditect-change-hunk-location')).toHaveText('line 3');
    await saveScreenshot('changes-view');

    // One file's diff in Monaco's diff editor, before the task against after it.
    await button(fileRow('src/greeting.ts'), 'Open Diff').click();
    const diff = page.locator('.monaco-diff-editor');
    await expect(diff).toBeVisible();
    await expect(page.locator('#theia-main-content-panel .lm-TabBar-tab.lm-mod-current')).toContainText(/greeting\.ts \(task #\d+: before ↔ after\)/);
    await expect(diff.locator('.editor.original')).toContainText('Hello, ${name}!`;');
    await expect(diff.locator('.editor.modified')).toContainText('Hello, ${name}!!`;');
    await saveScreenshot('changes-diff');

    // Reject the notes' first hunk: its old title is back on disk, the second hunk's wording kept.
    await button(hunks.nth(0).locator('.coditect-change-hunk-row'), 'Reject').click();
    await expect.poll(() => onDisk('docs/notes.md')).toBe('# Notes\n\nA small workspace the end-to-end tests open and the agents edit.\n');
    await expect(hunks.nth(0).locator('.coditect-change-review')).toHaveText('rejected');
    await expect(hunks.nth(1).locator('.coditect-change-review')).toHaveText('pending');
    await expect(fileRow('docs/notes.md').locator('.coditect-change-review')).toHaveText('pending');

    // Accept the rest: the second hunk, then the other two files.
    await button(hunks.nth(1).locator('.coditect-change-hunk-row'), 'Accept').click();
    await expect(fileRow('docs/notes.md').locator('.coditect-change-review')).toHaveText('partly accepted');
    await button(fileRow('src/greeting.ts'), 'Accept').click();
    await expect(fileRow('src/greeting.ts').locator('.coditect-change-review')).toHaveText('accepted');
    await button(fileRow('src/farewell.ts'), 'Accept').click();
    await expect(fileRow('src/farewell.ts').locator('.coditect-change-review')).toHaveText('accepted');
    await expect(taskRow.locator('.coditect-change-review')).toHaveText('partly accepted');
    expect(onDisk('docs/notes.md')).toBe('# Notes\n\nA small workspace the end-to-end tests open and the agents edit.\n');
    expect(onDisk('src/greeting.ts')).toContain('Hello, ${name}!!`;');
    expect(onDisk('src/farewell.ts')).toContain('Goodbye');
    await saveScreenshot('changes-reviewed');

    // Someone edits the greeting's changed line afterwards; rejecting it now conflicts: nothing is written, and the message says where.
    fs.writeFileSync(path.join(workspace.path, 'src/greeting.ts'), onDisk('src/greeting.ts').replace('Hello, ${name}!!', 'Hi there, ${name}!!'));
    await button(fileRow('src/greeting.ts'), 'Reject').click();
    const warning = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'Could not reject src/greeting.ts' });
    await expect(warning).toContainText('src/greeting.ts was left as it is.');
    // The file's text as written (backticks, ${…}), not formatted as markdown.
    await expect(warning).toContainText('Line 2 now reads "return `Hi there, ${name}!!`;"; the decision wanted "return `Hello, ${name}!`;".');
    await expect(fileRow('src/greeting.ts').locator('.coditect-change-conflict')).toBeVisible();
    await expect(fileRow('src/greeting.ts').locator('.coditect-change-review')).toHaveText('accepted');
    expect(onDisk('src/greeting.ts')).toContain('Hi there, ${name}!!');
    await saveScreenshot('changes-conflict');

    // From the palette, a task's changes by its number: the view expands and marks it.
    const taskId = (await task.getAttribute('data-task-id'))!;
    await taskRow.click();
    await expect(files).toHaveCount(0);
    await palette(page, 'CODITECT: Show Task\'s Changes…');
    await expect(page.locator('.quick-input-widget')).toContainText('Show the changes of which task?');
    await page.keyboard.type(taskId);
    await page.keyboard.press('Enter');
    await expect(task).toHaveClass(/revealed/);
    await expect(files).toHaveCount(3);

    // Under the task, the commit its command made, as git has it; a click opens its changes: a pick of its three files, then one's diff with the parent.
    const [sha, parent] = git(workspace.path, 'log', '-1', '--format=%H %P', '--author=Claude').split(' ');
    await expect(task.locator('.coditect-change-commits-header')).toHaveText('Committed 1 commit');
    const commit = task.locator(`.coditect-change-commit[data-sha="${sha}"]`);
    await expect(commit.locator('.coditect-change-commit-sha')).toHaveText(sha.slice(0, 7));
    await expect(commit.locator('.coditect-change-commit-subject')).toHaveText('Tidy the notes and the greetings');
    await expect(commit).toHaveClass(/openable/);
    await saveScreenshot('changes-commit');
    await commit.click();
    await expect(page.locator('.quick-input-widget .quick-input-title')).toHaveText(`${sha.slice(0, 7)} Tidy the notes and the greetings`);
    await expect(page.locator('.quick-input-widget .quick-input-box input')).toHaveAttribute('placeholder', 'The commit changed 3 files: open which one\'s diff?');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'src/greeting.ts' }).click();
    await expect(page.locator('#theia-main-content-panel .lm-TabBar-tab.lm-mod-current')).toContainText(`greeting.ts (${parent.slice(0, 7)} ↔ ${sha.slice(0, 7)})`);
    const commitDiff = page.locator('.monaco-diff-editor:visible');
    await expect(commitDiff.locator('.editor.original')).toContainText('Hello, ${name}!`;');
    await expect(commitDiff.locator('.editor.modified')).toContainText('Hello, ${name}!!`;');
    await saveScreenshot('changes-commit-diff');

    // A comment on the notes' second hunk (the file is still expanded) goes back to Claude as a follow-up task, which arrives and runs.
    await expect(hunks).toHaveCount(2);
    await button(hunks.nth(1).locator('.coditect-change-hunk-row'), 'Comment: send it back to the agent as a follow-up task').click();
    await expect(page.locator('.quick-input-widget')).toContainText(`Sent back to Claude as a follow-up task of task #${taskId}`);
    await page.keyboard.type('Say "end-to-end tests" only once.');
    await page.keyboard.press('Enter');
    const sent = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'as follow-up task #' });
    await expect(sent).toBeVisible();
    const followUpId = /follow-up task #(\d+)/.exec((await sent.textContent()) ?? '')![1];
    const followUp = queue.locator('tr', { hasText: `Follow-up on #${taskId}: Say "end-to-end tests" only once.` });
    await expect(followUp).toContainText(`#${followUpId}`, { timeout: 60_000 });
    await expect(followUp).toContainText('done', { timeout: 60_000 });
    await saveScreenshot('changes-comment-follow-up');

    // Back to before the task: every file it, its follow-up and the person changed since, after a confirmation; then undone from the message.
    const sample = (file: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/sample-workspace', file), 'utf8');
    const beforeRestore = { notes: onDisk('docs/notes.md'), greeting: onDisk('src/greeting.ts'), farewell: onDisk('src/farewell.ts') };
    await button(taskRow, 'Restore the workspace to before this task (undoable)').click();
    const dialog = page.locator('.dialogOverlay', { hasText: 'Restore Checkpoint' });
    await expect(dialog).toContainText(`Before task #${taskId} (claude): Tidy the notes and the greetings`);
    await saveScreenshot('changes-restore-confirm');
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
    const restored = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: /Restored \d+ file\(s\) to checkpoint #\d+\./ });
    await expect(restored).toBeVisible();
    expect([onDisk('docs/notes.md'), onDisk('src/greeting.ts'), fs.existsSync(path.join(workspace.path, 'src/farewell.ts'))])
        .toEqual([sample('docs/notes.md'), sample('src/greeting.ts'), false]);
    await saveScreenshot('changes-restored');
    await restored.getByRole('button', { name: 'Undo' }).click();
    await expect(page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'Undone:' })).toBeVisible();
    expect({ notes: onDisk('docs/notes.md'), greeting: onDisk('src/greeting.ts'), farewell: onDisk('src/farewell.ts') }).toEqual(beforeRestore);

    // A line followed back to the task that wrote it (the undone restore brought back its content, and so its origin), then to that task's changes.
    await page.keyboard.press('Control+P');
    await page.keyboard.type('farewell.ts');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'farewell.ts' }).first().click();
    const editor = page.locator('.monaco-editor[data-uri$="src/farewell.ts"]');
    await expect(editor).toBeVisible();
    await editor.locator('.view-line').nth(1).click();
    await palette(page, 'CODITECT: Who Wrote This Line?');
    const origin = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'Line 2 of src/farewell.ts was last written by' });
    await expect(origin).toContainText(`Claude (agent tool) in task #${taskId}`);
    await saveScreenshot('changes-line-origin');
    await origin.getByRole('button', { name: 'Show Task\'s Changes' }).click();
    await expect(task).toHaveClass(/revealed/);

    // Gemini reviews before it lands: its change set waits, the file is not in the workspace until Accept All lands it.
    await queue.locator('select.coditect-task-agent').selectOption('gemini');
    await queue.locator('textarea.coditect-task-prompt').fill('Write your own note');
    await queue.getByRole('button', { name: 'Submit' }).click();
    const geminiTask = view.locator('.coditect-changes-agent[data-agent-id="gemini"] .coditect-change-task', { hasText: 'Write your own note' });
    const geminiRow = geminiTask.locator('.coditect-change-task-row');
    await expect(geminiRow.locator('.coditect-change-task-status')).toHaveText('done', { timeout: 60_000 });
    await expect(geminiRow).toContainText('waiting for review');
    expect(fs.existsSync(path.join(workspace.path, 'docs/gemini.md'))).toBe(false);
    await saveScreenshot('changes-waiting-for-review');
    await button(geminiRow, 'Accept All').click();
    await expect.poll(() => fs.existsSync(path.join(workspace.path, 'docs/gemini.md'))).toBe(true);
    expect(onDisk('docs/gemini.md')).toBe('# Reviewed first\n');
    await expect(geminiRow).not.toContainText('waiting for review');
    await expect(geminiRow.locator('.coditect-change-review')).toHaveText('accepted');
});
