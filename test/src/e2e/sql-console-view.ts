import { Page } from '@playwright/test';
import { TheiaApp } from '@theia/playwright';
import { StudioViews } from '@coditect/studio-platform/common';
import { expect } from './studio-fixture';

// Driving the SQL console as a person does.

/** Opens the console from the command palette, as a user would. */
export async function openConsole(app: TheiaApp, page: Page) {
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
export async function typeAndRun(page: Page, view: ReturnType<Page['locator']>, sql: string) {
    await view.locator('.sql-editor .monaco-editor .view-lines').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type(sql);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Enter');
}
