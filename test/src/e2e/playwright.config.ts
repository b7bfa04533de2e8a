import { defineConfig } from '@playwright/test';
import * as path from 'node:path';
import { chromiumLaunchOptions } from '../lib/chromium';
import { testResultsDir } from '../lib/repo-paths';

export default defineConfig({
    testDir: __dirname,
    testMatch: '**/*.e2e.js',
    outputDir: path.join(testResultsDir, 'playwright'),
    workers: 1,
    timeout: 120_000,
    expect: { timeout: 20_000 },
    forbidOnly: true,
    retries: 0,
    reporter: [['list']],
    use: {
        launchOptions: chromiumLaunchOptions,
        viewport: { width: 1400, height: 860 },
        trace: 'retain-on-failure',
        screenshot: 'only-on-failure',
    },
});
