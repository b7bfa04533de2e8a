import { palette } from './command-palette';
import { filterByPath } from './timeline-view';
import { expect, test } from './studio-fixture';
import { StudioViews } from '@coditect/studio-platform/common';

test.describe('Session Timeline', () => {
    test.describe('import', () => {
        test.use({ workspaceFiles: ['test/fixtures/transcripts'] });

        test('imports a Claude Code transcript from a file dialog with progress, names every skipped line, and shows the session', async ({ app, page, saveScreenshot }) => {
            await app.waitForShellAndInitialized();
            await palette(page, 'CODITECT: Import Agent Transcript…');
            const dialog = page.locator('.dialogOverlay');
            await expect(dialog).toBeVisible();
            await dialog.locator('.theia-TreeNode', { hasText: 'claude-code-session.jsonl' }).click();
            await dialog.getByRole('button', { name: 'Import' }).click();

            const notice = page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: 'Imported claude-code-session.jsonl' });
            await expect(notice).toContainText('as "Fix cart total ignoring quantities": 22 events from 22 lines');
            await expect(notice).toContainText('Skipped 4 line(s): line 11, not valid JSON');
            await expect(notice).toContainText('line 14, unknown entry type "telemetry-beacon"; line 17, not a JSON object; and 1 more.');
            await notice.getByRole('button', { name: 'Show Skipped Lines' }).click();
            const picks = page.locator('.quick-input-widget .monaco-list-row');
            await expect(picks).toHaveCount(4);
            await expect(page.locator('.quick-input-widget')).toContainText('unknown entry type "telemetry-beacon"');
            await page.keyboard.press('Escape');

            await palette(page, 'CODITECT: Show Session Timeline');
            const view = page.locator(`#${StudioViews.sessionTimeline}`);
            await view.locator('.coditect-timeline-session', { hasText: 'Fix cart total ignoring quantities' }).click();
            await expect(view.locator('.coditect-timeline-header')).toContainText('Imported');
            await expect(view.locator('.coditect-timeline-lane-chip', { hasText: 'Claude Code' })).toHaveCount(1);
            await filterByPath(view, 'src/cart.ts');
            const edits = view.locator('.coditect-timeline-row.kind-file-edit');
            await expect(edits).toHaveCount(1);
            await edits.click();
            await expect(view.locator('.coditect-timeline-detail')).toContainText('Edited src/cart.ts');
            await saveScreenshot('session-timeline-import');
            await view.locator('.coditect-timeline-detail').getByRole('button', { name: 'Open Diff' }).click();
            await expect(page.locator('.monaco-diff-editor .editor.modified')).toContainText('i.price * i.quantity');
        });
    });
});
