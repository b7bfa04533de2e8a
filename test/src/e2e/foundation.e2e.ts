import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Locator, Request } from '@playwright/test';
import { TheiaExplorerView, TheiaTextEditor } from '@theia/playwright';
import { expect, shareStudio, test } from './studio-fixture';
import { LOGIN_PAGE_ID, StudioViews } from '@coditect/studio-platform/common';

// The tests look at one studio and change nothing in its workspace. The second loads the page
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
    await expect(agents.first().locator('.coditect-welcome-agent-state .codicon-key')).toBeVisible();
    // An admin (the embedded default's local user is one) is offered to add each.
    await expect(agents.locator('.coditect-welcome-add-key')).toHaveCount(4);
    // The role agents share one row: their keys are the vendors' above.
    const roles = welcome.locator('.coditect-welcome-role-agent');
    await expect(roles).toHaveText(['@CodeReviewer', '@DocGenerator', '@FileOrganizer', '@PriorSession', '@TestWriter']);
    await expect(roles.first().locator('.codicon-key')).toBeVisible();
    // Nothing offers another folder; the start actions stay in this one.
    await expect(welcome.locator('.coditect-welcome-start')).toContainText('Open File…');
    await expect(welcome.locator('.coditect-welcome-start')).toContainText('New File…');
    // The workspace's workflows are one click away (the sample workspace has none yet: the picker says so).
    await expect(welcome.locator('.coditect-welcome-start')).toContainText('Run a workflow');
    await expect(welcome).not.toContainText(/Open Folder|Open Workspace|recent folders/i);
    // Every studio view, and the shortcuts as the keymap binds them.
    await expect(welcome.locator('.coditect-welcome-views a')).toHaveText([
        'Agents', 'Task Queue', 'AI Chat', 'Message Bus', 'Locks', 'Changes', 'Session Timeline', 'Cost Dashboard', 'SQL Console']);
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

test('code is coloured with no network, in the theme\'s colours: a TypeScript file, and a TypeScript block in Markdown', async () => {
    const { app, page, studio, workspace, saveScreenshot } = shared();
    // Everything the page asks for while it colours: the grammars come from the studio, nothing from elsewhere.
    const requested: string[] = [];
    const onRequest = (request: Request) => requested.push(request.url());
    page.on('request', onRequest);
    // The distinct text colours of a line's tokens, as the browser paints them (Monaco's token classes, styled by the theme).
    const coloursOf = (line: Locator) => line.locator('span > span').evaluateAll(spans =>
        [...new Set(spans.filter(span => span.textContent?.trim()).map(span => getComputedStyle(span).color))]);
    const language = page.locator('#status-bar-editor-status-language');
    const selectColourTheme = async (label: string) => {
        const input = page.locator('.quick-input-widget .monaco-inputbox .input');
        const focused = page.locator('.quick-input-widget .monaco-list-row.focused');
        await app.quickCommandPalette.open();
        await input.fill('>Preferences: Color Theme');
        await expect(focused).toContainText('Color Theme');
        await page.keyboard.press('Enter');
        await input.fill(label);
        await expect(focused).toContainText(new RegExp(`^${label.replace(/[()]/g, '\\$&')}`));
        await page.keyboard.press('Enter');
    };

    const typescript = await app.openEditor('src/greeting.ts', TheiaTextEditor);
    await expect(language).toHaveText('TypeScript');
    // `return`, the template string, `name`: a keyword, a string and an identifier; the grammar comes from the studio's backend.
    const returnLine = page.locator('.theia-editor .view-line', { hasText: 'return' });
    await expect.poll(async () => (await coloursOf(returnLine)).length, { message: 'distinct colours on the line `return `Hello, ${name}!`;`' }).toBeGreaterThanOrEqual(3);
    const initial = await coloursOf(returnLine);
    await saveScreenshot('editor-colours');

    // The dark and the light theme colour the same tokens, each in its own colours (the chromium of the tests starts in the light one).
    await selectColourTheme('Dark (Theia)');
    await expect.poll(async () => {
        const colours = await coloursOf(returnLine);
        return colours.length >= 3 && colours.every(colour => !initial.includes(colour));
    }, { message: 'the dark theme\'s colours, none of the light one\'s' }).toBe(true);
    await saveScreenshot('editor-colours-dark');
    await selectColourTheme('Light (Theia)');
    await expect.poll(() => coloursOf(returnLine), { message: 'the light theme\'s colours again' }).toEqual(initial);

    // Markdown colours a fenced block with the grammar of its language. (A file written for this test and removed after it.)
    const markdownFile = path.join(workspace.path, 'docs', 'fenced.md');
    fs.writeFileSync(markdownFile, '# Fenced\n\n```ts\nconst answer: number = 42; // typed\n```\n');
    try {
        const markdown = await app.openEditor('docs/fenced.md', TheiaTextEditor);
        await expect(language).toHaveText('Markdown');
        const codeLine = page.locator('.theia-editor .view-line', { hasText: 'const answer' });
        await expect.poll(async () => (await coloursOf(codeLine)).length, { message: 'distinct colours in the fenced TypeScript line' }).toBeGreaterThanOrEqual(4);
        await saveScreenshot('editor-colours-markdown');
        await markdown.closeWithoutSave();
        await typescript.closeWithoutSave();
    } finally {
        fs.rmSync(markdownFile, { force: true });
        page.off('request', onRequest);
    }
    expect(requested.filter(url => !url.startsWith(`${studio.url}/`) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
});

test('an admin adds a provider key in the dialog: the agent goes from "needs key" to idle at once, and the key never reaches the browser', async () => {
    const { app, page, studio, saveScreenshot } = shared();
    // Everything the browser receives from here on, over HTTP and the websocket (a fresh load, so the socket is seen from its start).
    const seenByBrowser: Buffer[] = [];
    page.on('websocket', socket => socket.on('framereceived', frame => seenByBrowser.push(Buffer.from(frame.payload))));
    page.on('response', response => response.body().then(body => seenByBrowser.push(body), () => undefined));
    await page.goto(studio.url);
    await app.waitForShellAndInitialized();

    await app.quickCommandPalette.open();
    await app.quickCommandPalette.type('CODITECT: Show Agent Activity');
    await page.keyboard.press('Enter');
    const card = (id: string) => page.locator(`#${StudioViews.agentActivity} .coditect-agent-card[data-agent-id="${id}"]`);
    await expect(card('claude').locator('.coditect-agent-state')).toHaveText('needs key');
    await expect(card('claude')).toContainText('ANTHROPIC_API_KEY is not set.');
    await saveScreenshot('agent-needs-key');

    const key = `sk-ant-e2e-${Date.now().toString(36)}-never-shown`;
    await card('claude').getByRole('button', { name: 'Add key' }).click();
    const dialog = page.locator('.coditect-provider-key-dialog .dialogBlock');
    await expect(dialog).toContainText('Set Provider Key: ANTHROPIC_API_KEY');
    await expect(dialog).toContainText('Used by Claude, CodeReviewer, PriorSession.');
    await expect(dialog).toContainText('No key is set.');
    const input = dialog.locator('input');
    await expect(input).toHaveAttribute('type', 'password');
    await input.fill('too short');
    await expect(dialog.locator('.error')).toContainText('no spaces');
    await input.fill(key);
    await saveScreenshot('provider-key-dialog');
    await dialog.getByRole('button', { name: 'Save Key' }).click();

    await expect(card('claude').locator('.coditect-agent-state')).toHaveText('idle');
    await expect(card('claude').locator('.coditect-agent-key-needed')).toHaveCount(0);
    // The role agents on the same vendor's key are ready too.
    await expect(card('code-reviewer').locator('.coditect-agent-state')).toHaveText('idle');
    await expect(card('gemini').locator('.coditect-agent-state')).toHaveText('needs key');
    await saveScreenshot('agent-key-added');

    // Asked again, the studio says where the key is from and how it ends, never what it is.
    await app.quickCommandPalette.open();
    await app.quickCommandPalette.type('CODITECT: Set Provider Key');
    await page.keyboard.press('Enter');
    const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'ANTHROPIC_API_KEY' });
    await expect(pick).toContainText(`Set in the studio by`);
    await expect(pick).toContainText(`(ends in ${key.slice(-4)})`);
    await page.keyboard.press('Escape');

    await page.reload();
    await app.waitForShellAndInitialized();
    await expect(card('claude').locator('.coditect-agent-state')).toHaveText('idle');
    const received = Buffer.concat(seenByBrowser);
    expect(received.length).toBeGreaterThan(10_000);
    expect(received.includes(key), 'the key in what the browser received').toBe(false);
    expect(received.includes(key.slice(0, -4)), 'any of the key but its last four characters').toBe(false);
});

// Last: it ends the shared page's session.
test('Sign Out (command palette, File menu) ends the session on the server and takes the page to sign in', async () => {
    const { app, page, studio, saveScreenshot } = shared();
    const cookieBefore = (await page.context().cookies()).find(c => c.name === 'coditect_session');
    expect(cookieBefore?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookieBefore?.value).not.toContain(studio.token);
    expect(cookieBefore?.httpOnly).toBe(true);
    const oldCookie = `coditect_session=${cookieBefore!.value}`;

    const fileMenu = await app.menuBar.openMenu('File');
    expect(await fileMenu.visibleMenuItems()).toContain('Sign Out');
    await saveScreenshot('sign-out-file-menu');
    await fileMenu.close();

    await app.quickCommandPalette.open();
    await app.quickCommandPalette.type('CODITECT: Sign Out');
    await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText('CODITECT: Sign Out');
    await saveScreenshot('sign-out-command');
    await page.keyboard.press('Enter');

    await expect(page.locator(`#${LOGIN_PAGE_ID}`)).toContainText('Sign in to CODITECT Development Studio');
    expect(new URL(page.url()).pathname).toBe('/login');
    await saveScreenshot('sign-out-signed-out');
    expect((await page.context().cookies()).find(c => c.name === 'coditect_session')).toBeUndefined();

    // The ended session is refused on the server, not just forgotten by the browser.
    const api = await fetch(`${studio.url}/coditect/session`, { headers: { Cookie: oldCookie } });
    expect(api.status).toBe(401);
    await page.goto(`${studio.url}/`);
    await expect(page.locator(`#${LOGIN_PAGE_ID}`)).toBeVisible();
});
