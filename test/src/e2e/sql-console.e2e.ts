import { expect, test } from './studio-fixture';
import { openConsole, typeAndRun } from './sql-console-view';

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
