import { TheiaExplorerView, TheiaTextEditor } from '@theia/playwright';
import { expect, test } from './studio-fixture';

test.use({ workspaceFiles: ['test/fixtures/sample-workspace'] });

const gemini = { id: 'agent:gemini', displayName: 'Gemini' };

test('an agent\'s lock shows as a badge with its name, refuses a person\'s save, and disappears on release', async ({ app, page, request, studio, saveScreenshot }) => {
    const explorer = await app.openView(TheiaExplorerView);
    await explorer.waitForVisibleFileNodes();
    await (await explorer.getFileStatNodeByLabel('src')).expand();
    await explorer.waitForTreeNodeVisible('src/greeting.ts');

    const response = await request.post(`${studio.url}/coditect/api/locks`, { data: { path: 'src/greeting.ts', mode: 'exclusive', owner: gemini } });
    expect(response.status()).toBe(201);
    const lock = await response.json();

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

    const released = await request.delete(`${studio.url}/coditect/api/locks/${lock.id}?ownerId=${gemini.id}`);
    expect(released.status()).toBe(204);
    await expect(row.locator('.codicon-lock')).toHaveCount(0);
    await expect(row).not.toContainText('Gemini');
    await expect(tab.locator('.codicon-lock')).toHaveCount(0);
});

test('the lock HTTP API refuses bad input and paths outside the workspace with clear errors', async ({ request, studio }) => {
    const post = (data: unknown) => request.post(`${studio.url}/coditect/api/locks`, { data });
    let response = await post({ path: '../outside.txt', mode: 'exclusive', owner: gemini });
    expect(response.status()).toBe(400);
    expect((await response.json()).error).toContain('is not a path inside the workspace');

    response = await post({ path: 'a.txt', mode: 'write', owner: gemini });
    expect(response.status()).toBe(400);
    expect((await response.json()).error).toContain('"mode" must be "shared" (read) or "exclusive" (write)');

    response = await post({ path: 'a.txt', mode: 'exclusive', owner: gemini });
    expect(response.status()).toBe(201);
    response = await post({ path: 'a.txt', mode: 'shared', owner: { id: 'agent:claude', displayName: 'Claude' } });
    expect(response.status()).toBe(409);
    expect((await response.json()).error).toContain('held by Gemini');

    response = await request.delete(`${studio.url}/coditect/api/locks/no-such-lock?ownerId=agent:gemini`);
    expect(response.status()).toBe(404);
});

test('the Locks view opens from the command palette and lists an agent\'s lock with force-release', async ({ app, page, request, studio, saveScreenshot }) => {
    const post = (path: string, mode: string, owner: { id: string; displayName: string }) =>
        request.post(`${studio.url}/coditect/api/locks`, { data: { path, mode, owner } });
    const geminiLock = await post('src/greeting.ts', 'exclusive', gemini);
    expect(geminiLock.status()).toBe(201);
    const { id: geminiLockId } = await geminiLock.json();
    expect((await post('docs', 'shared', { id: 'agent:claude', displayName: 'Claude' })).status()).toBe(201);

    await app.quickCommandPalette.open();
    await app.quickCommandPalette.type('CODITECT: Show Locks');
    await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText('CODITECT: Show Locks');
    await page.keyboard.press('Enter');
    const view = page.locator('#coditect-locks-view');
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
    const revoked = await request.post(`${studio.url}/coditect/api/locks/${geminiLockId}/renew`, { data: { ownerId: gemini.id } });
    expect(revoked.status()).toBe(410);
    expect((await revoked.json()).error).toContain('force-released by');
});

test.describe('escalation', () => {
    test.use({ studioEnv: { STUDIO_LOCK_ESCALATE_MS: '1500' } });

    test('a long wait is escalated to the UI, which offers to force-release the agent\'s lock', async ({ app, page, request, studio }) => {
        await app.openView(TheiaExplorerView);
        const held = await request.post(`${studio.url}/coditect/api/locks`, { data: { path: 'src/greeting.ts', mode: 'exclusive', owner: gemini } });
        expect(held.status()).toBe(201);
        const waiting = request.post(`${studio.url}/coditect/api/locks`, {
            data: { path: 'src/greeting.ts', mode: 'exclusive', owner: { id: 'agent:claude', displayName: 'Claude' }, waitMs: 20_000 },
        });
        const notice = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'Claude has waited' });
        await expect(notice).toContainText('held by Gemini');
        await notice.getByText('Force Release', { exact: true }).click();
        const granted = await waiting;
        expect(granted.status()).toBe(201);
        expect((await granted.json()).owner.displayName).toBe('Claude');
    });
});
