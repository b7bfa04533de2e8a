import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test } from './studio-fixture';
import { repoRoot } from '../lib/repo-paths';
import { packVsix } from '../lib/vsix';

// One studio start for the whole story (the plugin host makes each start dearer): the Extensions
// view with no registry, then a VS Code extension installed from a .vsix the way a user does it
// and used: its command, its language and grammar, its problems.
test('a VS Code extension installed from a VSIX runs its command, colours its language and reports problems; with no registry the Extensions view says so', async ({ app, page, workspace, studio, saveScreenshot }) => {
    // Installing deploys the extension and starts it in the plugin host: 1.7 min on a loaded 2-CPU machine.
    test.setTimeout(240_000);
    const consoleErrors: string[] = [];
    page.on('console', message => message.type() === 'error' && consoleErrors.push(message.text()));
    const extensionId = await packVsix(path.join(repoRoot, 'test', 'fixtures', 'coditest-extension'), path.join(workspace.path, 'coditest-lang-0.0.1.vsix'));
    fs.writeFileSync(path.join(workspace.path, 'hello.coditestlang'), '# a comment\ngreet "world"\nshout "TODO later"\n');

    // Open VSX is out of reach here (only the npm registry and Debian are): the view says so, plainly.
    await page.keyboard.press('Control+Shift+X');
    const view = page.locator('#vsx-extensions-view-container');
    await view.locator('.vsx-search-container input').fill('python');
    const alert = view.locator('.theia-alert-message-container');
    await expect(alert).toContainText('Open VSX cannot be reached');
    await expect(alert).toContainText('VSX_REGISTRY_URL');
    await saveScreenshot('vscode-extensions-offline');
    await view.locator('.vsx-search-container input').fill('');

    // Extensions: Install from VSIX… → the file dialog → the .vsix in the workspace.
    await app.quickCommandPalette.open();
    await app.quickCommandPalette.type('Install from VSIX');
    await page.keyboard.press('Enter');
    const dialog = page.locator('.dialogOverlay');
    await dialog.locator('.theia-TreeNode', { hasText: 'coditest-lang-0.0.1.vsix' }).click();
    await dialog.locator('.dialogControl .theia-button.main').click();
    await expect(page.locator('.theia-notification-list-item', { hasText: 'Completed installing extension' }).first()).toBeVisible({ timeout: 60_000 });
    // Installed under the Theia config folder (the container keeps it on the home volume), so it outlives a restart.
    expect(fs.readdirSync(path.join(studio.configDir, 'deployedPlugins'))).toContainEqual(expect.stringContaining(extensionId));
    await expect(view.locator('.theia-vsx-extension', { hasText: 'Coditest Language' })).toBeVisible();
    await saveScreenshot('vscode-extensions-installed');

    // Its command, from the palette: the message, and the file its code wrote.
    await app.quickCommandPalette.open();
    await app.quickCommandPalette.type('Coditest: Say Hello');
    await page.keyboard.press('Enter');
    await expect(page.locator('.theia-notification-list-item', { hasText: 'Hello from the Coditest extension' }).first()).toBeVisible();
    await expect.poll(() => fs.existsSync(path.join(workspace.path, 'coditest-hello.txt'))).toBe(true);

    // Its language: the file is recognised, the grammar colours the keyword and the string differently.
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('hello.coditestlang');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'hello.coditestlang' }).first().click();
    await expect(page.locator('#status-bar-editor-status-language')).toContainText('Coditest Lang');
    const line = page.locator('.monaco-editor .view-line', { hasText: 'greet' });
    const colourOf = (text: string) => line.locator('span > span', { hasText: text }).first().evaluate(e => getComputedStyle(e).color);
    await expect.poll(async () => (await colourOf('greet')) !== (await colourOf('"world"'))).toBe(true);

    // Its diagnostics reach the Problems view (opened from the status bar's problem count).
    await page.locator('#status-bar-problem-marker-status').click();
    await expect(page.locator('#problems')).toContainText('Coditest: unfinished TODO');
    await saveScreenshot('vscode-extensions-used');

    // No red console line from the plugin host or the registry along the way.
    expect(consoleErrors.filter(e => /plugin|vsx|extension/i.test(e))).toEqual([]);
});
