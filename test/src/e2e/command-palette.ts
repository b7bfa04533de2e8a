import { expect, type Page } from '@playwright/test';

/** Runs a command from the palette, as a person does. */
export async function palette(page: Page, command: string): Promise<void> {
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type(command);
    // The exact command, not the first fuzzy match ("…, recently used" when it was run before).
    await page.locator(`.quick-input-widget .monaco-list-row:is([aria-label="${command}"], [aria-label^="${command}, "])`).click();
}

/** Answers the open quick input: picks the row with this label (`pick`), or types the text, and confirms. */
export async function answerQuickInput(page: Page, text: string, pick: boolean): Promise<void> {
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await expect(input).toBeVisible();
    await input.fill(text);
    if (pick) {
        await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText(text);
    }
    await page.keyboard.press('Enter');
}
