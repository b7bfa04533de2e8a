import type { APIRequestContext } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TheiaExplorerView, TheiaTextEditor } from '@theia/playwright';
import type { StudioProcess } from '../lib/studio-process';
import { expect, shareStudio, test } from './studio-fixture';
import { StudioTerminal } from './studio-terminal';
import { StudioViews } from '@coditect/studio-platform/common';

// One studio for the file's tests (each start costs about 20 s on a loaded machine). Each test
// works on locks of its own or releases what it takes, except: the API test leaves Gemini's lock on
// a.txt, the Locks view test Claude's read lock on docs; no later test touches either path. The
// escalation delay is short for all of them: none but the escalation test makes a lock wait.
// The terminals are POSIX sh (dash), whose login profile sets PATH and which has no PROMPT_COMMAND: the
// harder case for keeping `coditect` on PATH (bash is covered beside the code, terminal-environment.spec).
const shared = shareStudio({ workspaceFiles: ['test/fixtures/sample-workspace'], logName: 'file-locks', env: { STUDIO_LOCK_ESCALATE_MS: '1500', SHELL: '/bin/sh' } });

/**
 * An agent outside the studio, as it really runs: the studio's local user (an admin) issues it an
 * agent token through POST /coditect/api/tokens, and every lock call carries that token, so the
 * lock is held by `agent:<id>` because the credential says so, not because the request does.
 */
async function outsideAgent(request: APIRequestContext, studio: StudioProcess, agentId: string, displayName: string) {
    const issued = await request.post(`${studio.url}/coditect/api/tokens`, { data: { agentId, displayName, label: 'file-locks e2e' } });
    expect(issued.status()).toBe(201);
    const { token } = await issued.json() as { token: string };
    expect(token).toMatch(/^cdt_/);
    const headers = { Authorization: `Bearer ${token}` };
    return {
        lock: (data: object) => request.post(`${studio.url}/coditect/api/locks`, { data, headers }),
        renew: (id: string) => request.post(`${studio.url}/coditect/api/locks/${id}/renew`, { data: {}, headers }),
        release: (id: string) => request.delete(`${studio.url}/coditect/api/locks/${id}`, { headers }),
    };
}

test('an agent\'s lock shows as a badge with its name, refuses a person\'s save, and disappears on release', async () => {
    const { app, page, request, studio, saveScreenshot } = shared();
    const explorer = await app.openView(TheiaExplorerView);
    await explorer.waitForVisibleFileNodes();
    await (await explorer.getFileStatNodeByLabel('src')).expand();
    await explorer.waitForTreeNodeVisible('src/greeting.ts');

    const gemini = await outsideAgent(request, studio, 'gemini', 'Gemini');
    const response = await gemini.lock({ path: 'src/greeting.ts', mode: 'exclusive' });
    expect(response.status()).toBe(201);
    const lock = await response.json();
    expect(lock.owner).toEqual({ id: 'agent:gemini', kind: 'agent', displayName: 'Gemini' });

    const row = page.locator('.theia-TreeNode', { has: page.locator('.theia-TreeNodeSegment', { hasText: /^greeting\.ts$/ }) });
    await expect(row.locator('.codicon-lock')).toBeVisible();
    await expect(row).toContainText('Gemini');
    // The folder above shows that something inside is locked.
    const folder = page.locator('.theia-TreeNode', { has: page.locator('.theia-TreeNodeSegment', { hasText: /^src$/ }) });
    await expect(folder.locator('.codicon-circle-small-filled')).toBeVisible();

    // A person edits the locked file: saving is refused in the backend, and the studio offers to wait or force-release.
    const editor = await app.openEditor('src/greeting.ts', TheiaTextEditor);
    await editor.addTextToNewLineAfterLineByLineNumber(3, '// edited by a person');
    await page.keyboard.press('Control+s');
    const refusal = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'src/greeting.ts was not saved: Gemini holds a lock on it.' });
    await expect(refusal).toBeVisible();
    await expect(refusal.getByText('Force Release and Save')).toBeVisible();
    const tab = page.locator('#theia-main-content-panel .lm-TabBar-tab', { hasText: 'greeting.ts' });
    await expect(tab.locator('.codicon-lock')).toBeVisible();
    await expect(tab).not.toContainText('[object Object]');
    await saveScreenshot('file-locks-badge');

    const released = await gemini.release(lock.id);
    expect(released.status()).toBe(204);
    await expect(row.locator('.codicon-lock')).toHaveCount(0);
    await expect(row).not.toContainText('Gemini');
    await expect(tab.locator('.codicon-lock')).toHaveCount(0);
    // Once released, the person's save goes through (and leaves no unsaved editor to the next tests).
    await page.keyboard.press('Control+s');
    await expect.poll(() => fs.readFileSync(path.join(studio.workspaceDir, 'src', 'greeting.ts'), 'utf8')).toContain('// edited by a person');
});

test('the lock HTTP API refuses bad input, paths outside the workspace and acting as another agent with clear errors', async () => {
    const { request, studio } = shared();
    const gemini = await outsideAgent(request, studio, 'gemini', 'Gemini');
    const claude = await outsideAgent(request, studio, 'claude', 'Claude');
    let response = await gemini.lock({ path: '../outside.txt', mode: 'exclusive' });
    expect(response.status()).toBe(400);
    expect((await response.json()).error).toContain('is not a path inside the workspace');

    response = await gemini.lock({ path: 'a.txt', mode: 'write' });
    expect(response.status()).toBe(400);
    expect((await response.json()).error).toContain('"mode" must be "shared" (read) or "exclusive" (write)');

    response = await gemini.lock({ path: 'a.txt', mode: 'exclusive', owner: { id: 'agent:claude', displayName: 'Claude' } });
    expect(response.status()).toBe(403);
    expect((await response.json()).error).toContain('This credential is agent Gemini (agent:gemini); it acts only in its own name, not as "agent:claude"');

    response = await gemini.lock({ path: 'a.txt', mode: 'exclusive' });
    expect(response.status()).toBe(201);
    const { id } = await response.json();
    response = await claude.lock({ path: 'a.txt', mode: 'shared' });
    expect(response.status()).toBe(409);
    expect((await response.json()).error).toContain('held by Gemini');
    response = await claude.release(id);
    expect(response.status()).toBe(403);
    expect((await response.json()).error).toContain('It is held by Gemini (agent:gemini). To take it anyway, force-release it');

    response = await gemini.release('no-such-lock');
    expect(response.status()).toBe(404);
});

test('the Locks view opens from the command palette and lists an agent\'s lock with force-release', async () => {
    const { app, page, request, studio, saveScreenshot } = shared();
    const gemini = await outsideAgent(request, studio, 'gemini', 'Gemini');
    const claude = await outsideAgent(request, studio, 'claude', 'Claude');
    const geminiLock = await gemini.lock({ path: 'src/greeting.ts', mode: 'exclusive' });
    expect(geminiLock.status()).toBe(201);
    const { id: geminiLockId } = await geminiLock.json();
    expect((await claude.lock({ path: 'docs', mode: 'shared' })).status()).toBe(201);

    await app.quickCommandPalette.open();
    await app.quickCommandPalette.type('CODITECT: Show Locks');
    await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText('CODITECT: Show Locks');
    await page.keyboard.press('Enter');
    const view = page.locator(`#${StudioViews.locks}`);
    await expect(view).toBeVisible();
    const geminiRow = view.locator('.coditect-lock-row', { hasText: 'src/greeting.ts' });
    await expect(geminiRow).toContainText('Gemini (agent)');
    await expect(geminiRow).toContainText('write');
    await expect(view.locator('.coditect-lock-row', { hasText: 'docs' })).toContainText('read');
    await saveScreenshot('locks-view');

    await geminiRow.getByRole('button', { name: 'Force Release' }).click();
    await page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'Force-release Gemini' }).getByText('Force Release', { exact: true }).click();
    await expect(view.locator('.coditect-lock-row', { hasText: 'src/greeting.ts' })).toHaveCount(0);
    // Gemini learns on its next operation that the lock was taken, and why.
    const revoked = await gemini.renew(geminiLockId);
    expect(revoked.status()).toBe(410);
    expect((await revoked.json()).error).toContain('force-released by');
});

test('a long wait is escalated to the UI, which offers to force-release the agent\'s lock', async () => {
    const { app, page, request, studio } = shared();
    await app.openView(TheiaExplorerView);
    const gemini = await outsideAgent(request, studio, 'gemini', 'Gemini');
    const claude = await outsideAgent(request, studio, 'claude', 'Claude');
    const held = await gemini.lock({ path: 'src/greeting.ts', mode: 'exclusive' });
    expect(held.status()).toBe(201);
    const waiting = claude.lock({ path: 'src/greeting.ts', mode: 'exclusive', waitMs: 20_000 });
    const notice = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'Claude has waited' });
    await expect(notice).toContainText('held by Gemini');
    await notice.getByText('Force Release', { exact: true }).click();
    const granted = await waiting;
    expect(granted.status()).toBe(201);
    expect((await granted.json()).owner.displayName).toBe('Claude');
    expect((await claude.release((await granted.json()).id)).status()).toBe(204);
});

test('a terminal\'s change to a file an agent holds marks the lock in the Locks view', async () => {
    const { page, app, request, studio, saveScreenshot } = shared();
    const gemini = await outsideAgent(request, studio, 'gemini', 'Gemini');
    expect((await gemini.lock({ path: 'src/greeting.ts', mode: 'exclusive' })).status()).toBe(201);

    await app.quickCommandPalette.open();
    await app.quickCommandPalette.type('CODITECT: Show Locks');
    await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText('CODITECT: Show Locks');
    await page.keyboard.press('Enter');
    const row = page.locator(`#${StudioViews.locks} .coditect-lock-row`, { hasText: 'src/greeting.ts' });
    await expect(row).toContainText('Gemini (agent)');
    await expect(row.locator('.coditect-lock-changed-outside')).toHaveCount(0);

    // This test process is "a terminal": nothing the studio started, so nothing the locks bind.
    fs.appendFileSync(path.join(studio.workspaceDir, 'src', 'greeting.ts'), '// changed from a terminal\n');
    const mark = row.locator('.coditect-lock-changed-outside');
    await expect(mark).toBeVisible({ timeout: 30_000 });
    await expect(mark).toHaveAttribute('title', /^Changed outside Gemini's lock by a terminal or another process at /);
    await expect(mark).toContainText('changed outside');
    await expect(mark.locator('.codicon-warning')).toBeVisible();
    await saveScreenshot('locks-view-changed-outside');
});

test('in a studio terminal, coditect acts as the person at the keyboard: whoami, a lock the Locks view shows, a message, a task; its token ends with the terminal', async () => {
    const { page, app, request, studio, saveScreenshot } = shared();
    // Everything the browser receives while the terminal lives: its token must not be in it.
    const seenByBrowser: Buffer[] = [];
    page.on('websocket', socket => socket.on('framereceived', frame => seenByBrowser.push(Buffer.from(frame.payload))));
    await page.reload();
    await app.waitForShellAndInitialized();

    const terminal = await StudioTerminal.open(app, studio.workspaceDir);
    const waitFor = (name: string, pattern: RegExp) => terminal.output(name, pattern);
    await terminal.submit('coditect whoami --json > cli-whoami.json 2>&1; echo "$CODITECT_TOKEN" > cli-token.txt');
    const me = JSON.parse(await waitFor('cli-whoami.json', /"via": "terminal"/));
    expect(me).toMatchObject({ kind: 'person', role: 'admin', via: 'terminal' });
    expect(me.id).toMatch(/^user:/);
    const token = (await waitFor('cli-token.txt', /^cdt_term_/)).trim();

    await terminal.submit('coditect lock package.json --ttl 10m > cli-lock.txt 2>&1');
    expect(await waitFor('cli-lock.txt', /Locked package\.json/)).toContain('coditect unlock package.json');
    await app.quickCommandPalette.open();
    await app.quickCommandPalette.type('CODITECT: Show Locks');
    await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText('CODITECT: Show Locks');
    await page.keyboard.press('Enter');
    const row = page.locator(`#${StudioViews.locks} .coditect-lock-row`, { hasText: 'package.json' });
    await expect(row).toContainText(me.displayName);

    await terminal.submit('coditect send @gemini "please review package.json" > cli-send.txt 2>&1; coditect task @kimi "count the files" --json > cli-task.json 2>&1');
    expect(await waitFor('cli-send.txt', /Sent message #\d+ to gemini/)).toBeTruthy();
    const task = JSON.parse(await waitFor('cli-task.json', /"agentId": "kimi"/));
    expect(task.submittedBy).toBe(me.id);
    await terminal.submit('coditect locks > cli-locks.txt 2>&1; coditect bogus 2> cli-bogus.txt; echo "exit $?" >> cli-bogus.txt');
    expect(await waitFor('cli-locks.txt', /package\.json\s+exclusive/)).toContain(me.displayName);
    expect(await waitFor('cli-bogus.txt', /exit 2/)).toMatch(/Unknown command "bogus"/);
    // What a person sees: the answers in the terminal (tee keeps a copy to wait on).
    await terminal.submit('clear; coditect whoami; coditect locks | tee cli-shown.txt');
    await waitFor('cli-shown.txt', /package\.json\s+exclusive/);
    await saveScreenshot('terminal-coditect');

    await terminal.submit('coditect unlock package.json > cli-unlock.txt 2>&1');
    await waitFor('cli-unlock.txt', /package\.json/);
    await expect(row).toHaveCount(0);

    // The terminal's token works until its shell exits, then never again.
    const whoami = () => request.get(`${studio.url}/coditect/api/whoami`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await whoami()).status()).toBe(200);
    await terminal.submit('exit');
    await expect.poll(async () => (await whoami()).status(), { timeout: 30_000 }).toBe(401);
    expect((await (await whoami()).json()).error).toMatch(/its terminal has closed/);
    expect(Buffer.concat(seenByBrowser).includes(token), 'the terminal\'s token in what the browser received').toBe(false);
});
