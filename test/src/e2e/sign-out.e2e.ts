import { expect, test } from './studio-fixture';
import { LOGIN_PAGE_ID } from '@coditect/studio-platform/common';

test.use({ workspaceFiles: ['test/fixtures/sample-workspace'] });

test('Sign Out (command palette, File menu) ends the session on the server and takes the page to sign in', async ({ app, page, studio, saveScreenshot }) => {
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
