import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { RegistryUrlPreference } from '@coditect/vscode-extensions/common';
import { expect, test } from './studio-fixture';
import { repoRoot } from '../lib/repo-paths';
import { packVsix } from '../lib/vsix';
import { StudioTerminal } from './studio-terminal';

// One studio start for the whole story (the plugin host makes each start dearer): the Extensions
// view with no registry, then a VS Code extension installed from a .vsix the way a user does it
// and used: its command, its language and grammar, its problems. Neither the extension nor a
// terminal sees the backend's secrets: the studio's own token and a planted vendor key.
const PlantedKey = { CODITEST_API_KEY: 'sk-coditest-planted-key-0123456789' };
test.use({ studioEnv: PlantedKey });

/** A local port nothing listens on (one the system just handed out and took back). */
async function unusedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>(resolve => server.close(() => resolve()));
    return port;
}

/** The variable names in `file`'s lines (a name per line, or `NAME=value` lines as `env` prints them). */
function variableNames(file: string): string[] {
    return fs.readFileSync(file, 'utf8').split('\n').map(line => line.split('=')[0]);
}

test('a VS Code extension installed from a VSIX runs its command, colours its language and reports problems, without the backend\'s secrets; with no registry the Extensions view says so', async ({ app, page, workspace, studio, saveScreenshot }) => {
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
    await expect(alert).toContainText(RegistryUrlPreference);
    await saveScreenshot('vscode-extensions-offline');
    await view.locator('.vsx-search-container input').fill('');

    // The registry is a setting, applied at the next search without a restart: here a local port nothing listens on.
    const closedPort = await unusedPort();
    const settingsFile = path.join(studio.configDir, 'settings.json');
    const settings = fs.existsSync(settingsFile) ? JSON.parse(fs.readFileSync(settingsFile, 'utf8')) : {};
    fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, [RegistryUrlPreference]: `http://127.0.0.1:${closedPort}` }, undefined, 2));
    await expect.poll(async () => {
        await view.locator('.vsx-search-container input').fill(`eslint ${Date.now()}`);
        return (await alert.textContent({ timeout: 20_000 }).catch(() => '')) ?? '';
    }, { timeout: 60_000 }).toMatch(new RegExp(`cannot be reached at http://127\\.0\\.0\\.1:${closedPort}/?: 127\\.0\\.0\\.1 refused the connection`));
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
    const marker = path.join(workspace.path, 'coditest-hello.txt');
    await expect.poll(() => fs.existsSync(marker)).toBe(true);
    // The plugin host has the backend's environment, less its secrets.
    expect(variableNames(marker)).toContain('PATH');
    expect(variableNames(marker)).not.toContain('CODITEST_API_KEY');
    expect(variableNames(marker)).not.toContain('STUDIO_AUTH_TOKEN');

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

    // A person's terminal: the same environment, the same secrets left out.
    const terminal = await StudioTerminal.open(app, workspace.path);
    await terminal.submit('env > env-in-terminal.txt');
    await terminal.output('env-in-terminal.txt', /PATH=/);
    const printed = path.join(workspace.path, 'env-in-terminal.txt');
    expect(variableNames(printed)).not.toContain('CODITEST_API_KEY');
    expect(variableNames(printed)).not.toContain('STUDIO_AUTH_TOKEN');
    expect(fs.readFileSync(printed, 'utf8')).not.toContain(PlantedKey.CODITEST_API_KEY);

    // No red console line from the plugin host or the registry along the way.
    expect(consoleErrors.filter(e => /plugin|vsx|extension/i.test(e))).toEqual([]);
});
