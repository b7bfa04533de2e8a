import { test as base, type APIRequestContext, type Page } from '@playwright/test';
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

/** What `shareStudio` gives the tests of one serial block. */
interface SharedStudio {
    workspace: TheiaWorkspace;
    studio: StudioProcess;
    page: Page;
    app: TheiaApp;
    /** HTTP requests carrying the studio's token, as an outside agent's would. */
    request: APIRequestContext;
    saveScreenshot: (name: string) => Promise<string>;
}

/**
 * One studio backend and one signed-in page for all the tests of the serial `describe` block it
 * is called in, for tests that neither change the workspace nor need a page nobody used before
 * (each studio start and IDE load costs about 20 s on a loaded 2-CPU machine). Started before the
 * first test, stopped after the last; the getter it returns gives the tests their studio.
 */
export interface SharedStudioOptions {
    workspaceFiles: string[];
    logName: string;
    env?: Record<string, string>;
    /** Scripted agents replaying these turns, as the `agentScript` fixture option. */
    agentScript?: AgentScriptFile;
    /** Starts the studio on the workspace (the demo's vendors start before it); by default a plain studio with `env`. */
    launch?: (workspaceDir: string) => Promise<{ studio: StudioProcess; stop(): Promise<void> }>;
    /** Called with the page before it loads the IDE, for listeners that must see every frame from the first. */
    beforeLoad?: (page: Page) => void;
}

export function shareStudio(options: SharedStudioOptions): () => SharedStudio {
    let shared: SharedStudio | undefined;
    let stop: (() => Promise<void>) | undefined;
    test.describe.configure({ mode: 'serial' });
    test.beforeAll(async ({ browser, playwright }, testInfo) => {
        // A studio start and a first page load: on a loaded 2-core machine the load alone has taken two minutes.
        testInfo.setTimeout(300_000);
        const workspace = new TheiaWorkspace(options.workspaceFiles.map(f => path.resolve(repoRoot, f)));
        workspace.initialize();
        const launched = options.launch
            ? await options.launch(workspace.path)
            : await launchStudio({ appDir: studioAppDir, workspaceDir: workspace.path, env: options.env, agentScript: options.agentScript, logName: options.logName }).then(studio => ({ studio, stop: () => studio.stop() }));
        const { studio } = launched;
        const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
        const request = await playwright.request.newContext({ baseURL: studio.url, extraHTTPHeaders: studio.authHeaders });
        stop = async () => {
            await request.dispose();
            await context.close();
            await launched.stop();
            workspace.remove();
        };
        const page = await context.newPage();
        options.beforeLoad?.(page);
        const app = new TheiaApp(page, workspace, false);
        await page.goto(studio.loginUrl(workspace.pathAsPathComponent));
        await app.waitForShellAndInitialized();
        shared = {
            workspace, studio, page, app, request,
            saveScreenshot: async name => {
                fs.mkdirSync(screenshotsDir, { recursive: true });
                const file = path.join(screenshotsDir, `${name}.png`);
                await page.screenshot({ path: file });
                return file;
            },
        };
    });
    test.afterAll(async () => stop?.());
    return () => {
        if (!shared) {
            throw new Error('the shared studio did not start (see beforeAll)');
        }
        return shared;
    };
}
