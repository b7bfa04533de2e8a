import { test as base } from '@playwright/test';
import { TheiaApp, TheiaWorkspace } from '@theia/playwright';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentScriptFile } from '@coditect/workspace-backend/test-support';
import { repoRoot, screenshotsDir, studioAppDir } from '../lib/repo-paths';
import { launchStudio, StudioProcess } from '../lib/studio-process';

export interface StudioFixtures {
    /** Files or folders copied into the workspace before the studio starts (relative to the repository). */
    workspaceFiles: string[];
    /** Extra environment of the studio backend, e.g. `{ STUDIO_USER_ROLE: 'developer' }`. */
    studioEnv: Record<string, string>;
    /** Scripted agents replaying these turns (test code preloaded into the backend); unset: the vendors' real models. */
    agentScript: AgentScriptFile | undefined;
    workspace: TheiaWorkspace;
    studio: StudioProcess;
    /** The IDE shell, loaded on the test's workspace. */
    app: TheiaApp;
    /** Saves a screenshot of the page under test-results/screenshots and returns its path. */
    saveScreenshot: (name: string) => Promise<string>;
}

/**
 * Each test gets its own studio backend (free port, temporary workspace, fresh Theia config and
 * data directories) and a page with the IDE shell loaded on that workspace.
 */
export const test = base.extend<StudioFixtures>({
    workspaceFiles: [[], { option: true }],
    studioEnv: [{}, { option: true }],
    agentScript: [undefined, { option: true }],
    workspace: async ({ workspaceFiles }, use) => {
        const workspace = new TheiaWorkspace(workspaceFiles.map(f => path.resolve(repoRoot, f)));
        workspace.initialize();
        await use(workspace);
        workspace.remove();
    },
    studio: async ({ workspace, studioEnv, agentScript }, use, testInfo) => {
        const studio = await launchStudio({ appDir: studioAppDir, workspaceDir: workspace.path, env: studioEnv, agentScript, logName: testInfo.title.replace(/\W+/g, '-') });
        await use(studio);
        await studio.stop();
    },
    baseURL: async ({ studio }, use) => use(studio.url),
    // API requests carry the studio's token, as an outside agent's would.
    request: async ({ playwright, studio }, use) => {
        const context = await playwright.request.newContext({ baseURL: studio.url, extraHTTPHeaders: studio.authHeaders });
        await use(context);
        await context.dispose();
    },
    app: async ({ page, workspace, studio }, use) => {
        const app = new TheiaApp(page, workspace, false);
        // Signs in the way a person does: the login URL sets the session cookie and drops the token from the address.
        await page.goto(studio.loginUrl(workspace.pathAsPathComponent));
        await app.waitForShellAndInitialized();
        await use(app);
    },
    saveScreenshot: async ({ page }, use) => {
        await use(async name => {
            fs.mkdirSync(screenshotsDir, { recursive: true });
            const file = path.join(screenshotsDir, `${name}.png`);
            await page.screenshot({ path: file });
            return file;
        });
    },
});

export { expect } from '@playwright/test';
