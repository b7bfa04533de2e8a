import * as path from 'node:path';
import { ApiKeyFiles, resolveApiKey } from '../providers/provider-config';
import type { AgentDefinition } from './agent-definition';
import type { ProviderSpec } from './agent-process/protocol';
import type { TaskInfo } from './task-repository';

/**
 * Chooses each agent's model provider. The provider itself lives in the agent's process (a hung
 * stream or a crash in an SDK takes that process down, not the backend), so the factory does
 * not build it: it says which module the process loads (`spec`), with JSON options.
 *
 * The studio runs with `realProviderFactory` only. Tests script their agents with
 * `test-support/scripted-provider-factory.ts`, given to a core they build or preloaded into a
 * studio backend by test code (core/provider-factory-override.ts); no setting of a production
 * start selects anything else.
 */
export interface ProviderFactory {
    /** Throws, saying what to fix, when the agent cannot get a provider now (e.g. no API key). Runs in the backend before each task. */
    check(definition: AgentDefinition): void;
    spec(definition: AgentDefinition, task: TaskInfo): ProviderSpec;
}

/**
 * The vendors' real providers (src/providers/create-provider.ts). Keys come from the studio's key
 * file (`keyFile`, keys an admin set), the environment or STUDIO_SECRETS_FILE; the agent process
 * reads them itself when its task starts (it inherits the environment), so a key never travels
 * over IPC and a key set a moment ago is the one the next task uses.
 */
export function realProviderFactory(env: NodeJS.ProcessEnv = process.env, keyFile?: string): ProviderFactory {
    const files: ApiKeyFiles = { secretsFile: env.STUDIO_SECRETS_FILE, keyFile };
    return {
        check: definition => {
            resolveApiKey({ vendor: definition.vendor, model: definition.model, apiKeyVariable: definition.apiKeyVariable }, env, files.secretsFile, files.keyFile);
        },
        spec: () => ({ module: path.join(__dirname, 'agent-process', 'real-provider.js'), exportName: 'createAgentProvider', options: files }),
    };
}
