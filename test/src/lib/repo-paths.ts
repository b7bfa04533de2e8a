import * as path from 'node:path';

/** Paths of the repository, from the compiled test package (test/lib/...). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const studioAppDir = path.join(repoRoot, 'browser-app');
export const plainTheiaAppDir = path.join(repoRoot, 'test', 'plain-theia-app');
/** Git-ignored: screenshots, logs and traces of test runs. */
export const testResultsDir = path.join(repoRoot, 'test-results');
export const screenshotsDir = path.join(testResultsDir, 'screenshots');
