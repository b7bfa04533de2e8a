import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from './studio-fixture';

const scriptFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chat-script-')), 'agents.json');
fs.writeFileSync(scriptFile, JSON.stringify({
    agents: {
        gemini: [
            { delayMs: 800, text: 'I will add a farewell next to the greeting.', toolCalls: [{ id: 'call-1', name: 'read_file', arguments: { path: 'src/greeting.ts' } }] },
            { delayMs: 800, toolCalls: [{ id: 'call-2', name: 'edit_file', arguments: { path: 'src/greeting.ts', old_text: 'export function greeting', new_text: 'export const farewell = (name: string) => `Bye, ${name}!`;\n\nexport function greeting' } }] },
            { delayMs: 500, toolCalls: [{ id: 'call-3', name: 'finish', arguments: { summary: 'Added farewell() to src/greeting.ts.' } }] },
        ],
    },
}));

test.use({ workspaceFiles: ['test/fixtures/sample-workspace'], studioEnv: { STUDIO_AGENT_SCRIPT: scriptFile } });

test('@Gemini in the chat autocompletes, the message reaches Gemini\'s queue, and the reply streams back', async ({ app, page, workspace, saveScreenshot }) => {
    await app.quickCommandPalette.open();
    await app.quickCommandPalette.type('Toggle AI Chat');
    await expect(page.locator('.quick-input-widget .monaco-list-row.focused')).toContainText('AI Chat');
    await page.keyboard.press('Enter');

    const input = page.locator('#chat-view-widget .theia-ChatInput-Editor .monaco-editor textarea').first();
    await expect(input).toBeAttached();
    await page.locator('#chat-view-widget .theia-ChatInput-Editor').click();
    await page.keyboard.type('@Gem');
    const suggestion = page.locator('.monaco-editor .suggest-widget .monaco-list-row', { hasText: 'Gemini' });
    await expect(suggestion).toBeVisible();
    await page.keyboard.press('Enter');
    await page.keyboard.type(' add a farewell function next to greeting');
    await page.keyboard.press('Enter');

    const reply = page.locator('#chat-view-widget .theia-ChatNode').last();
    await expect(reply).toContainText('Gemini started task #', { timeout: 20_000 });
    await expect(reply).toContainText('I will add a farewell next to the greeting.');
    await expect(reply).toContainText('Done', { timeout: 30_000 });
    await expect(reply).toContainText('Added farewell() to src/greeting.ts.');
    await saveScreenshot('agent-chat');
    expect(fs.readFileSync(path.join(workspace.path, 'src', 'greeting.ts'), 'utf8')).toContain('export const farewell');
});
