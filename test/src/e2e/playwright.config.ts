import { defineConfig } from '@playwright/test';
import * as path from 'node:path';
import { chromiumLaunchOptions } from '../lib/chromium';
import { testResultsDir } from '../lib/repo-paths';

// One output folder per run (workers inherit the runner's environment), so runs side by side
// never clean each other's traces away.
process.env.CODITECT_E2E_RUN ??= `${Date.now()}-${process.pid}`;

export default defineConfig({
    testDir: __dirname,
    testMatch: '**/*.e2e.js',
    outputDir: path.join(testResultsDir, 'playwright', process.env.CODITECT_E2E_RUN),
    workers: 1,
    // A studio start and the first load of the IDE (a 20 MB bundle; 44 MB in development mode) count against each test:
    // on a busy 2-core machine the load alone has taken 110 s.
    timeout: 180_000,
    expect: { timeout: 20_000 },
    forbidOnly: true,
    retries: 0,
    reporter: [['list']],
    use: {
        launchOptions: chromiumLaunchOptions,
        viewport: { width: 1400, height: 860 },
        // Recording a trace costs every test CPU (a screencast and DOM snapshots), and the CI machine is
        // saturated already; a failure keeps its screenshot and page snapshot. CODITECT_E2E_TRACE=1 records.
        trace: process.env.CODITECT_E2E_TRACE === '1' ? 'retain-on-failure' : 'off',
        screenshot: 'only-on-failure',
    },
});
