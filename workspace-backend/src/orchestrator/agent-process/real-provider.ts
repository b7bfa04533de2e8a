import { createProvider } from '../../providers/create-provider';
import type { ApiKeyFiles } from '../../providers/provider-config';
import type { ModelProvider } from '../../providers/model-provider';
import type { AgentDefinition } from '../agent-definition';

/** Loaded in the agent process by realProviderFactory. */
export function createAgentProvider(definition: AgentDefinition, options: ApiKeyFiles): ModelProvider {
    return createProvider({ vendor: definition.vendor, model: definition.model, apiKeyVariable: definition.apiKeyVariable, baseUrl: definition.baseUrl, api: definition.api }, process.env, options);
}
