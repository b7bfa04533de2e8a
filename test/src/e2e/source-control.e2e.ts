import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test as studioTest } from './studio-fixture';

/** The real git CLI in the workspace, as a person in a terminal would run it. */
function git(cwd: string, ...args: string[]): string {
    return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
}

/** The sample workspace, made a git repository with one commit before the studio starts. */
const test = studioTest.extend({
    workspace: async ({ workspace }, use) => {
        // What the studio writes into a workspace on its first start (agent definitions, settings) is not the project's.
        fs.writeFileSync(path.join(workspace.path, '.gitignore'), '.coditect/\n.theia/\n');
        git(workspace.path, 'init', '-q', '--initial-branch=main');
        git(workspace.path, 'config', 'user.name', 'E2E Developer');
        git(workspace.path, 'config', 'user.email', 'e2e@example.com');
        git(workspace.path, 'add', '-A');
        git(workspace.path, 'commit', '-q', '-m', 'Initial commit');
        await use(workspace);
    },
});

test.use({ workspaceFiles: ['test/fixtures/sample-workspace'] });
// The page alone has taken two minutes to load on a loaded 2-core machine; the fixtures' start counts against the test's time.
test.describe.configure({ timeout: 420_000 });

test('an edited file shows under Changes with a gutter marker and a diff, its range is staged and unstaged from the diff, it is staged and committed from the Source Control view, and the Graph lists the commit', async ({ app, page, workspace, saveScreenshot }) => {
    await app.waitForShellAndInitialized();

    // Edit docs/notes.md in the editor and save it.
    await page.keyboard.press('Control+P');
    await page.keyboard.type('notes.md');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'notes.md' }).first().click();
    const editor = page.locator('.theia-editor .monaco-editor').first();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    await page.keyboard.type(' (edited in the studio)');
    await page.keyboard.press('Control+S');
    await expect.poll(() => fs.readFileSync(path.join(workspace.path, 'docs/notes.md'), 'utf8')).toContain('# Notes (edited in the studio)');

    // The gutter marks the changed line against the index.
    await expect(editor.locator('.dirty-diff-modified-line').first()).toBeVisible({ timeout: 30_000 });

    // The Source Control view lists it under Changes, with its M letter, on branch main.
    await page.keyboard.press('Control+Shift+G');
    const scm = page.locator('.theia-scm');
    await expect(scm).toBeVisible();
    const row = scm.locator('.scmItem', { hasText: 'notes.md' });
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(scm.locator('.scm-theia-header', { hasText: 'Changes' })).toBeVisible();
    await expect(row.locator('.decoration-icon')).toHaveText('M');
    await expect(page.locator('#theia-statusBar')).toContainText('main');

    // Clicking the row opens the diff of the index against the working file.
    await row.click();
    // The diff in the visible tab (the staged diff opens in a second one).
    const diff = page.locator('.monaco-diff-editor:visible');
    await expect(diff).toBeVisible({ timeout: 30_000 });
    await expect(diff.locator('.editor.modified')).toContainText('(edited in the studio)');
    await expect(diff.locator('.editor.original')).toContainText('# Notes');
    await saveScreenshot('scm-changes');

    // Stage Selected Ranges in that diff: the change under the cursor goes into the index.
    const runInDiff = async (label: string) => {
        await diff.locator('.editor.modified .view-lines').click();
        await page.keyboard.press('Control+Home');
        await app.quickCommandPalette.open();
        await app.quickCommandPalette.type(label);
        await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText(label);
        await page.keyboard.press('Enter');
    };
    await runInDiff('Stage Selected Ranges');
    await expect.poll(() => git(workspace.path, 'diff', '--cached', '--name-only').trim(), { timeout: 30_000 }).toBe('docs/notes.md');
    // And out again from the staged diff (HEAD against the index), the file on disk untouched.
    const staged = scm.locator('.scmItem', { hasText: 'notes.md' });
    await expect(scm.locator('.scm-theia-header', { hasText: 'Staged Changes' })).toBeVisible({ timeout: 30_000 });
    await staged.click();
    // The staged diff (HEAD against the index) must be the editor the command runs in, not the working tree's still showing.
    await expect(page.locator('#theia-main-content-panel .lm-TabBar-tab.lm-mod-current')).toContainText('notes.md (HEAD ↔ Index)', { timeout: 30_000 });
    await expect(diff.locator('.editor.original')).toContainText('# Notes');
    await runInDiff('Unstage Selected Ranges');
    await expect.poll(() => git(workspace.path, 'diff', '--cached', '--name-only').trim(), { timeout: 30_000 }).toBe('');
    expect(fs.readFileSync(path.join(workspace.path, 'docs/notes.md'), 'utf8')).toContain('# Notes (edited in the studio)');
    await expect(scm.locator('.scm-theia-header', { hasText: 'Staged Changes' })).toHaveCount(0, { timeout: 30_000 });

    // Stage it with the inline action; it moves to Staged Changes.
    await row.hover();
    await row.locator('.theia-scm-inline-action a[title$="Stage Changes"]').click();
    await expect(scm.locator('.scm-theia-header', { hasText: 'Staged Changes' })).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => git(workspace.path, 'diff', '--cached', '--name-only').trim()).toBe('docs/notes.md');

    // Type a message and commit with Ctrl+Enter.
    const message = page.locator('#theia-scm-input-message');
    await message.click();
    await message.fill('Edit the notes from the studio');
    await page.keyboard.press('Control+Enter');

    await expect.poll(() => git(workspace.path, 'log', '-1', '--format=%s|%an').trim(), { timeout: 30_000 }).toBe('Edit the notes from the studio|E2E Developer');
    expect(git(workspace.path, 'status', '--porcelain').trim()).toBe('');
    await expect(scm.locator('.scmItem')).toHaveCount(0, { timeout: 30_000 });
    await expect(message).toHaveValue('');
    await saveScreenshot('scm-committed');

    // The Graph section (collapsed at first) lists the new commit above the first one, with main's badge on it.
    const graphHeader = page.locator('.theia-view-container-part-header', { has: page.locator('.label', { hasText: /^graph$/i }) });
    if (await graphHeader.locator('.theia-mod-collapsed').count() > 0) {
        await graphHeader.click();
    }
    const graphRows = page.locator('.scm-history-graph-row');
    await expect(graphRows.first().locator('.scm-history-subject')).toHaveText('Edit the notes from the studio', { timeout: 30_000 });
    await expect(graphRows.locator('.scm-history-subject')).toHaveText(['Edit the notes from the studio', 'Initial commit']);
    await expect(graphRows.first().locator('.scm-history-ref-badge')).toHaveText(['main']);
    await expect(graphRows.nth(1).locator('.scm-history-ref-badge')).toHaveCount(0);
    // Hovering a commit shows its author and statistics.
    await graphRows.first().hover();
    const tooltip = page.locator('.scm-history-tooltip');
    await expect(tooltip).toContainText('E2E Developer', { timeout: 30_000 });
    await expect(tooltip).toContainText('1 file changed');
    await saveScreenshot('scm-graph');
    // Clicking it lists its files; a file opens the commit's diff with its parent.
    await graphRows.first().click();
    const graphChange = page.locator('.scm-history-change-row', { hasText: 'notes.md' });
    await expect(graphChange.locator('.scm-history-change-status')).toHaveText('M', { timeout: 30_000 });
    const diffEditors = page.locator('.monaco-diff-editor');
    const diffsBefore = await diffEditors.count();
    await graphChange.click();
    await expect(diffEditors).toHaveCount(diffsBefore + 1, { timeout: 30_000 });
    await expect(diff.locator('.editor.original')).not.toContainText('(edited in the studio)');
    await expect(diff.locator('.editor.modified')).toContainText('(edited in the studio)');
});
