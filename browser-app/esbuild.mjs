/**
 * Theia's bundling of the studio, with one change to what `theia build` generates: the workspace
 * core (@coditect/workspace-backend) stays out of the backend bundle. It is a plain Node package
 * with a native module (better-sqlite3) and scripts it starts in worker processes by path; inside
 * a bundle neither resolves. The backend loads it from node_modules like any dependency.
 */
import { browserOptions, watch } from './gen-esbuild.browser.mjs';
import { nodeOptions } from './gen-esbuild.node.mjs';

import esbuild from 'esbuild';

const studioNodeOptions = {
    ...nodeOptions,
    external: [...(nodeOptions.external ?? []), '@coditect/workspace-backend'],
};

const browserContext = await esbuild.context(browserOptions);
const nodeContext = await esbuild.context(studioNodeOptions);

if (watch) {
    await Promise.all([browserContext.watch(), nodeContext.watch()]);
} else {
    try {
        await browserContext.rebuild();
        await browserContext.dispose();
        await nodeContext.rebuild();
        await nodeContext.dispose();
    } catch {
        process.exit(1);
    }
}
