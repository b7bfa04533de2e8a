/**
 * Test code, preloaded into a studio backend by the test launcher (`node --require <this file>
 * browser-app/lib/backend/main.js ...`, studio-process.ts's `agentScript`): the backend's agents replay
 * the JSON script file named by STUDIO_TEST_AGENT_SCRIPT instead of calling a vendor.
 *
 * It installs them through the workspace core's embedding override before the backend creates the
 * core (workspace-backend/src/core/provider-factory-override.ts). Without this preload the variable
 * means nothing: no production code reads it, and a production start never loads this file.
 */
import { installProviderFactoryOverride } from '@coditect/workspace-backend';
import { scriptedProviderFactoryFromFile } from '@coditect/workspace-backend/test-support';

const file = process.env.STUDIO_TEST_AGENT_SCRIPT;
if (!file) {
    throw new Error('scripted-agents-preload: STUDIO_TEST_AGENT_SCRIPT must name the agent script file (launchStudio sets it with `agentScript`).');
}
installProviderFactoryOverride({ factory: scriptedProviderFactoryFromFile(file), installedBy: `the tests' scripted-agents preload (${file})` });
