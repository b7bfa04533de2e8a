import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUS_HTTP_PATH, ORCHESTRATOR_PATH, OrchestratorService } from '@coditect/agent-activity/common';
import { AGENT_CHAT_PATH } from '@coditect/agent-chat/common';
import { screenshotsDir } from '../lib/repo-paths';
import { expect, shareStudio, test } from './studio-fixture';

// One studio for the two tests, in order: the second continues the first's conversation in another browser.
const shared = shareStudio({
    workspaceFiles: ['test/fixtures/sample-workspace', 'test/fixtures/workflows'], logName: 'agent-chat',
    agentScript: {
        agents: {
            // The workflow's steps on Claude (its notes, then the review): one turn each.
            claude: [{ delayMs: 300, toolCalls: [{ id: 'call-1', name: 'finish', arguments: { summary: 'Claude\'s part is done.' } }] }],
            gemini: [
                { delayMs: 800, text: 'I will add a farewell next to the greeting.', toolCalls: [{ id: 'call-1', name: 'read_file', arguments: { path: 'src/greeting.ts' } }] },
                { delayMs: 800, toolCalls: [{ id: 'call-2', name: 'edit_file', arguments: { path: 'src/greeting.ts', old_text: 'export function greeting', new_text: 'export const farewell = (name: string) => `Bye, ${name}!`;\n\nexport function greeting' } }] },
                { delayMs: 500, toolCalls: [{ id: 'call-3', name: 'finish', arguments: { summary: 'Added farewell() to src/greeting.ts.' } }] },
            ],
        },
    },
});

test('@Gemini in the chat autocompletes, the message reaches Gemini\'s queue, and the reply streams back; @Bus sends Gemini a message', async () => {
    const { app, page, workspace, request, saveScreenshot } = shared();
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
    const greeting = path.join(workspace.path, 'src', 'greeting.ts');
    expect(fs.readFileSync(greeting, 'utf8')).toContain('export const farewell');

    // The task's change set, below the chat input: Revert takes the edit back, Apply puts it back.
    const changeSet = page.locator('#chat-view-widget .theia-ChatInput-ChangeSet-Box');
    await expect(changeSet).toContainText(/Changes of task #\d+/, { timeout: 20_000 });
    const element = changeSet.locator('li', { hasText: 'greeting.ts' });
    await expect(element).toBeVisible();
    await element.hover();
    await element.locator('.codicon-discard').click();
    await expect.poll(() => fs.readFileSync(greeting, 'utf8'), { timeout: 20_000 }).not.toContain('farewell');
    await expect(element.locator('.codicon-check')).toBeVisible({ timeout: 20_000 });
    await saveScreenshot('agent-chat-change-set-reverted');
    // The row's actions sit at its right edge, past the narrow panel's width until the row is hovered.
    await element.hover();
    await element.locator('.codicon-check').click();
    await expect.poll(() => fs.readFileSync(greeting, 'utf8'), { timeout: 20_000 }).toContain('export const farewell');
    await expect(element.locator('.codicon-discard')).toBeVisible({ timeout: 20_000 });

    // @Bus: a message to Gemini in the person's name, kept for Gemini's next turn, and the latest messages.
    await page.locator('#chat-view-widget .theia-ChatInput-Editor').click();
    await page.keyboard.type('@Bus gemini: the farewell needs a test');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    const busReply = page.locator('#chat-view-widget .theia-ChatNode').last();
    await expect(busReply).toContainText('Sent to Gemini: it reads it on its next turn.', { timeout: 20_000 });
    await expect(busReply).toContainText('Latest messages');
    await expect(busReply).toContainText('→ gemini: the farewell needs a test');
    await saveScreenshot('agent-chat-bus');
    const onBus = await (await request.get(`${BUS_HTTP_PATH}/messages`)).json() as { messages: { text: string; recipients: string[]; from: string }[] };
    const sent = onBus.messages.find(m => m.text === 'the farewell needs a test');
    expect(sent?.recipients).toEqual(['gemini']);
    expect(sent?.from).toMatch(/^user:/);
});

test('the conversation started in one browser continues in another, with what was said so far', async ({ browser }) => {
    const { studio, workspace } = shared();
    // Another browser: its own cookies, no chat sessions of the first one.
    const other = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    try {
        const page2 = await other.newPage();
        await page2.goto(studio.loginUrl(workspace.pathAsPathComponent));
        await page2.waitForSelector('.theia-preload', { state: 'detached', timeout: 60_000 });
        await page2.keyboard.press('Control+Shift+P');
        await page2.keyboard.type('CODITECT: Continue Agent Conversation');
        await expect(page2.locator('.quick-input-widget .monaco-list-row.focused')).toContainText('Continue Agent Conversation');
        await page2.keyboard.press('Enter');
        const item = page2.locator('.quick-input-widget .monaco-list-row', { hasText: 'Gemini: add a farewell function' });
        await expect(item).toBeVisible();
        await item.click();

        const chat = page2.locator('#chat-view-widget');
        await expect(chat).toContainText('add a farewell function next to greeting', { timeout: 20_000 });
        await expect(chat).toContainText('Added farewell() to src/greeting.ts.');
        fs.mkdirSync(screenshotsDir, { recursive: true });
        await page2.screenshot({ path: path.join(screenshotsDir, 'agent-chat-continued.png') });

        // What is typed next, without @, goes to Gemini in the same conversation.
        await chat.locator('.theia-ChatInput-Editor').click();
        await page2.keyboard.type('and a welcome function too');
        await page2.keyboard.press('Enter');
        await expect(chat.locator('.theia-ChatNode').last()).toContainText(/Queued #|started task #|failed|Done/, { timeout: 20_000 });
        const transcript = await page2.evaluate(() => document.querySelector('#chat-view-widget')?.textContent ?? '');
        expect(transcript).toContain('and a welcome function too');
    } finally {
        await other.close();
    }
    const { StudioRpcClient } = await import('../lib/studio-rpc-client');
    const rpc = await StudioRpcClient.connect(studio.url, { headers: studio.authHeaders });
    try {
        const chat = await rpc.service<{ conversations(): Promise<{ agentId: string; messageCount: number; title: string }[]> }>(AGENT_CHAT_PATH);
        const conversations = (await chat.conversations()).filter(c => c.agentId === 'gemini');
        expect(conversations).toHaveLength(1);
        expect(conversations[0].messageCount).toBeGreaterThanOrEqual(3);
    } finally {
        rpc.close();
    }
});

test('/workflow in the chat starts a workspace workflow in the person\'s name, whichever agent the chat was talking to', async () => {
    const { app, page, studio, saveScreenshot } = shared();
    if (!await page.locator('#chat-view-widget').isVisible()) {
        await app.quickCommandPalette.open();
        await app.quickCommandPalette.type('Toggle AI Chat');
        await page.keyboard.press('Enter');
    }
    await page.locator('#chat-view-widget .theia-ChatInput-Editor').click();
    await page.keyboard.type('/workflow notes-review the greeting');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    const reply = page.locator('#chat-view-widget .theia-ChatNode').last();
    await expect(reply).toContainText('Started workflow notes-review #1 for the greeting: claude-notes (claude) + gemini-notes (gemini) → review (claude).', { timeout: 20_000 });
    await saveScreenshot('agent-chat-workflow');
    const { StudioRpcClient } = await import('../lib/studio-rpc-client');
    const rpc = await StudioRpcClient.connect(studio.url, { headers: studio.authHeaders });
    try {
        const orchestrator = await rpc.service<Pick<OrchestratorService, 'workflowRuns'>>(ORCHESTRATOR_PATH);
        await expect.poll(async () => (await orchestrator.workflowRuns())[0]?.status, { timeout: 60_000 }).toBe('done');
        const [run] = await orchestrator.workflowRuns();
        expect(run.startedBy).toMatch(/^user:/);
        expect(run.steps.map(s => s.summary)).toEqual(['Claude\'s part is done.', 'Added farewell() to src/greeting.ts.', 'Claude\'s part is done.']);
    } finally {
        rpc.close();
    }
    // A workflow the workspace does not have: the chat says which it has.
    await page.locator('#chat-view-widget .theia-ChatInput-Editor').click();
    await page.keyboard.type('/workflow nope');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await expect(page.locator('#chat-view-widget .theia-ChatNode').last()).toContainText('There is no workflow "nope" in .coditect/workflows; workflows: notes-review.', { timeout: 20_000 });
});
