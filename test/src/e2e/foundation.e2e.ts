import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TheiaExplorerView } from '@theia/playwright';
import { expect, shareStudio, test } from './studio-fixture';
import { StudioViews } from '@coditect/studio-platform/common';

// Both tests look at one studio and change nothing in its workspace. The second loads the page
// anew (another address); what it keeps from the first is the layout (the explorer, the console).
const shared = shareStudio({ workspaceFiles: ['test/fixtures/sample-workspace'], logName: 'foundation' });

test('the studio opens the workspace, lists its files and shows the workspace core\'s status', async () => {
    const { app, page, saveScreenshot } = shared();
    await expect(page).toHaveTitle(/CODITECT Development Studio/);

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
