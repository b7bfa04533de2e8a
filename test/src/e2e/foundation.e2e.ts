import { TheiaExplorerView } from '@theia/playwright';
import { expect, test } from './studio-fixture';

test.use({ workspaceFiles: ['test/fixtures/sample-workspace'] });

test('the studio opens the workspace, lists its files and shows the workspace core\'s status', async ({ app, page, saveScreenshot }) => {
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
    const console = page.locator('#coditect-sql-console');
    await expect(console).toBeVisible();
    await expect(console.locator('.sql-database-picker')).toHaveValue('locks');
});
