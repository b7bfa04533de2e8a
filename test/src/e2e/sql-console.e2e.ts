import { Page } from '@playwright/test';
import { TheiaApp } from '@theia/playwright';
import { expect, test } from './studio-fixture';
import { StudioViews } from '@coditect/studio-platform/common';

/** Opens the console from the command palette, as a user would. */
async function openConsole(app: TheiaApp, page: Page) {
    await app.quickCommandPalette.open();
    await app.quickCommandPalette.type('CODITECT: Open SQL Console');
    await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText('CODITECT: Open SQL Console');
    await page.keyboard.press('Enter');
    const view = page.locator(`#${StudioViews.sqlConsole}`);
    await expect(view).toBeVisible();
    await expect(view.locator('.sql-editor .monaco-editor')).toBeVisible();
    await expect(view.locator('.sql-schema-table').first()).toBeVisible();
    return view;
}

/** Replaces the editor's text by typing `sql`, then runs it with Ctrl+Enter. */
async function typeAndRun(page: Page, view: ReturnType<Page['locator']>, sql: string) {
    await view.locator('.sql-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type(sql);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Enter');
}

test.describe('SQL console as an admin', () => {
    test('types a query, runs it with Ctrl+Enter and sees the rows; errors and refusals say what was wrong', async ({ app, page, saveScreenshot }) => {
        const view = await openConsole(app, page);
        await view.locator('.sql-database-picker').selectOption('workspace');
        await expect(view.locator('.sql-schema-name', { hasText: /^sql_history$/ })).toBeVisible();
        await expect(view.locator('.sql-allow-writes')).toBeVisible();

        await typeAndRun(page, view, 'SELECT name, type FROM sqlite_schema WHERE type = \'table\' ORDER BY name');
        const grid = view.locator('.sql-grid');
        await expect(grid.locator('.sql-grid-head-name')).toHaveText(['name', 'type']);
        await expect(grid.locator('.sql-grid-row', { hasText: 'sql_write_audit' })).toBeVisible();
        await expect(view.locator('.sql-status')).toContainText(/\d+ rows · /);
        await saveScreenshot('sql-console-results');

        await typeAndRun(page, view, 'SELECT 1;\nSELEC key FROM settings');
        await expect(view.locator('.sql-error-sqlite')).toContainText('line 2, column 1');
        await expect(view.locator('.sql-error-sqlite')).toContainText('near "SELEC": syntax error');
        await saveScreenshot('sql-console-syntax-error');

        await typeAndRun(page, view, '/*x*/ATTACH \'other.db\' AS other');
        await expect(view.locator('.sql-error-refused')).toContainText('ATTACH would open another database file');
        await saveScreenshot('sql-console-refused-attach');

        // An admin's write: explicit "Allow writes", one transaction, audited.
        await view.locator('.sql-allow-writes input').check();
        await expect(view.locator('.sql-mode-badge')).toHaveText(/Read-write \(audited\)/);
        await typeAndRun(page, view, 'INSERT INTO settings (key, value_json, updated_at) VALUES (\'e2e\', \'true\', 0)');
        await expect(view.locator('.sql-status')).toContainText('1 row affected, committed');
        await view.locator('.sql-tab', { hasText: 'History' }).click();
        await expect(view.locator('.sql-history-entry').first()).toContainText('write');
    });
});

test.describe('SQL console as a developer', () => {
    test.use({ studioEnv: { STUDIO_USER_ROLE: 'developer' } });

    test('reads, but a write is refused by the backend with a message naming the role', async ({ app, page, saveScreenshot }) => {
        const view = await openConsole(app, page);
        await expect(view.locator('.sql-allow-writes')).toHaveCount(0);
        await expect(view.locator('.sql-mode-badge')).toHaveText(/Read-only/);
        await typeAndRun(page, view, 'DELETE FROM settings');
        const refusal = view.locator('.sql-error-forbidden');
        await expect(refusal).toContainText('Not allowed for your role');
        await expect(refusal).toContainText('Your role (developer) may only read; writes need the admin role.');
        await saveScreenshot('sql-console-developer-write-refused');

        await typeAndRun(page, view, 'SELECT count(*) AS settings FROM settings');
        await expect(view.locator('.sql-grid .sql-grid-row').first()).toContainText('0');
        await expect(view.locator('.sql-error')).toHaveCount(0);
    });
});
