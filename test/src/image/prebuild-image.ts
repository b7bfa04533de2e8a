import * as fs from 'node:fs';
import * as path from 'node:path';
import { testResultsDir } from '../lib/repo-paths';
import { buildStudioImage, ensureBaseImage, imageLogFile } from './studio-image';

/**
 * Builds the base and studio images ahead of the image test (`npm test` starts it beside the unit
 * and end-to-end tests, which leave a core idle much of the time): the image test then finds every
 * layer in buildah's cache. It decides nothing: a failure here is left for the image test, which
 * builds again and reports it.
 */
async function main(): Promise<void> {
    const resultsDir = path.join(testResultsDir, 'image');
    fs.mkdirSync(resultsDir, { recursive: true });
    const log = (message: string) => process.stdout.write(`[image prebuild] ${message}\n`);
    await ensureBaseImage(imageLogFile(resultsDir, 'prebuild-base-image'), log);
    const build = await buildStudioImage(imageLogFile(resultsDir, 'prebuild-image'), log);
    log(`built in ${Math.round(build.seconds)} s (${build.cachedSteps} of ${build.steps} steps from the layer cache)`);
}

main().catch(error => {
    process.stdout.write(`[image prebuild] failed, the image test builds again: ${(error as Error).message}\n`);
    process.exitCode = 1;
});
