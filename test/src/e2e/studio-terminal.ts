import { expect } from '@playwright/test';
import { TheiaTerminal, type TheiaApp } from '@theia/playwright';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A studio terminal a test types into, and the files its commands write into the workspace (the
 * test reads what a command printed from a file: a terminal's screen is a canvas).
 *
 * Input typed before the shell is attached to the terminal is dropped by xterm, and on a loaded
 * machine the shell can take seconds to start; so `open` types a marker command until the shell
 * answers, and only then does the test type anything that must run exactly once.
 */
export class StudioTerminal {
    private constructor(readonly terminal: TheiaTerminal, private readonly workspaceDir: string) { }

    static async open(app: TheiaApp, workspaceDir: string): Promise<StudioTerminal> {
        const opened = new StudioTerminal(await app.openTerminal(TypingTerminal), workspaceDir);
        const marker = opened.file('.terminal-ready');
        fs.rmSync(marker, { force: true });
        await expect(async () => {
            await opened.terminal.submit('echo ready > .terminal-ready');
            await expect.poll(() => fs.existsSync(marker), { timeout: 5_000 }).toBe(true);
        }).toPass({ timeout: 60_000 });
        fs.rmSync(marker, { force: true });
        return opened;
    }

    submit(command: string): Promise<void> {
        return this.terminal.submit(command);
    }

    /** Waits until the workspace file `name` matches and returns its text; on a timeout, the error shows what it held. */
    async output(name: string, pattern: RegExp): Promise<string> {
        const file = this.file(name);
        await expect.poll(() => fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `(no ${name} yet)`, { timeout: 30_000 }).toMatch(pattern);
        return fs.readFileSync(file, 'utf8');
    }

    private file(name: string): string {
        return path.join(this.workspaceDir, name);
    }
}

/**
 * A terminal the test types into key by key, as a person does. Theia's page object fills xterm's
 * input area in one `input` event, which xterm drops now and then on a loaded machine (it reads such
 * an event only when no keydown is pending): the Enter arrived, the command did not.
 */
class TypingTerminal extends TheiaTerminal {
    override async submit(text: string): Promise<void> {
        await this.activate();
        const input = await this.waitForInputArea();
        await input.focus();
        await this.page.keyboard.type(text);
        await input.press('Enter');
    }
}
