import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TheiaExplorerView } from '@theia/playwright';
import { expect, shareStudio, test } from './studio-fixture';
import { StudioViews } from '@coditect/studio-platform/common';

// Both tests look at one studio and change nothing in its workspace. The second loads the page
// anew (another address); what it keeps from the first is the layout (the explorer, the console).
const shared = shareStudio({ workspaceFiles: ['test/fixtures/sample-workspace'], logName: 'foundation' });

test('the studio opens on the welcome page and the explorer with the workspace\'s files, and shows the workspace core\'s status', async () => {
    const { app, page, saveScreenshot } = shared();
    await expect(page).toHaveTitle(/CODITECT Development Studio/);

    // The first start: the explorer is open on the workspace, the welcome page in the main area.
    await expect(page.locator('#explorer-view-container')).toBeVisible();
    await expect(page.locator('#explorer-view-container')).toContainText('package.json');
    const welcome = page.locator('#theia-main-content-panel .coditect-welcome-widget');
    await expect(welcome).toBeVisible();
    await expect(welcome.locator('.gs-header')).toContainText('CODITECT Development Studio');
    // The sample workspace's agents have no keys: each says so, with what may be done about it.
    const agents = welcome.locator('.coditect-welcome-agent');
    await expect(agents).toHaveCount(4);
    await expect(agents.locator('.coditect-welcome-agent-name')).toHaveText(['Claude', 'Codex', 'Gemini', 'Kimi']);
    await expect(agents.locator('.coditect-welcome-agent-state')).toHaveText(Array(4).fill('needs key'));
    await expect(agents.first().locator('.coditect-welcome-agent-model')).toContainText('anthropic');
    await expect(agents.first().locator('.codicon-key')).toBeVisible();
    await expect(agents.locator('.coditect-welcome-add-key, .coditect-welcome-ask-admin')).toHaveCount(4);
    // Nothing offers another folder; the start actions stay in this one.
    await expect(welcome.locator('.coditect-welcome-start')).toContainText('Open File…');
    await expect(welcome.locator('.coditect-welcome-start')).toContainText('New File…');
    await expect(welcome).not.toContainText(/Open Folder|Open Workspace|recent folders/i);
    // Every studio view, and the shortcuts as the keymap binds them.
    await expect(welcome.locator('.coditect-welcome-views a')).toHaveText([
        'Agents', 'Task Queue', 'AI Chat', 'Locks', 'Changes', 'Session Timeline', 'Cost Dashboard', 'SQL Console']);
    await expect(welcome.locator('.coditect-welcome-shortcuts tr', { hasText: 'Show all commands' })).toContainText(/Ctrl\+Shift\+P|F1/);
    await expect(welcome.locator('.coditect-welcome-shortcuts tr', { hasText: 'Go to a file' })).toContainText('Ctrl+P');
    await saveScreenshot('welcome');

    const explorer = await app.openView(TheiaExplorerView);
    await explorer.waitForVisibleFileNodes();
    expect(await explorer.existsDirectoryNode('src')).toBe(true);
    expect(await explorer.existsDirectoryNode('docs')).toBe(true);
    expect(await explorer.existsFileNode('package.json')).toBe(true);

    // The status item is fed through the whole pipe: browser -> Theia RPC -> backend service -> workspace core.
    const status = page.locator('#status-bar-coditect-workspace-status');
    await expect(status).toContainText('Workspace: ok');
    await status.hover();
    const tooltip = page.locator('.theia-hover, .workbench-hover').first();
    await expect(tooltip).toContainText('Workspace folder');
    // The database cluster reports each of its six databases.
    for (const db of ['workspace', 'agents', 'tasks', 'locks', 'sessions', 'metrics']) {
        await expect(tooltip).toContainText(`${db} database`);
    }
    await expect(tooltip).toContainText('File locks');

    await saveScreenshot('foundation');

    // Each database line opens the SQL console on that database.
    await tooltip.locator('li', { hasText: 'locks database' }).getByRole('link', { name: 'Query' }).click();
    const console = page.locator(`#${StudioViews.sqlConsole}`);
    await expect(console).toBeVisible();
    await expect(console.locator('.sql-database-picker')).toHaveValue('locks');

    // A view opens from the welcome page (from the Help menu's Welcome, or the palette's).
    await app.quickCommandPalette.open();
    await app.quickCommandPalette.type('Welcome');
    await app.quickCommandPalette.trigger('Welcome');
    await welcome.locator('.coditect-welcome-views a', { hasText: 'Task Queue' }).click();
    await expect(page.locator(`#${StudioViews.taskQueue}`)).toBeVisible();
});

test('the studio keeps to its one folder: another folder in the address is refused, and nothing offers to open one', async () => {
    const { app, page, studio, workspace, saveScreenshot } = shared();
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'other-folder-'));
    fs.writeFileSync(path.join(other, 'not-the-workspace.txt'), 'x');
    try {
        // The session cookie is set: a fresh load of the studio's address naming another folder.
        await page.goto('about:blank');
        await page.goto(`${studio.url}/#${other}`);
        await app.waitForShellAndInitialized();
        await expect(page.locator('.theia-notification-list-item').first()).toContainText('This studio works on one folder');
        await saveScreenshot('single-root');
        // The explorer (open from the first load) has the studio's folder as its root, not the one the address named.
        const explorer = page.locator('#explorer-view-container');
        await expect(explorer).toContainText(new RegExp(path.basename(workspace.path), 'i'));
        await expect(explorer).not.toContainText(new RegExp(path.basename(other), 'i'));

        await app.quickCommandPalette.open();
        await app.quickCommandPalette.type('Open Folder');
        await expect(page.locator('.quick-input-widget input')).toHaveValue('>Open Folder');
        await expect(page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Open Folder' })).toHaveCount(0);
        await page.keyboard.press('Escape');
    } finally {
        fs.rmSync(other, { recursive: true, force: true });
    }
});
