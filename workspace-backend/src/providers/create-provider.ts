import { AnthropicProvider } from './anthropic-provider';
import { GeminiProvider } from './gemini-provider';
import type { ModelProvider } from './model-provider';
import { OpenAIChatProvider } from './openai-chat-provider';
import { OpenAIResponsesProvider } from './openai-responses-provider';
import { ApiKeyFiles, ProviderConfig, ProviderConfigError, resolveApiKey, resolveOpenAIApi } from './provider-config';

/**
 * Builds the provider for `config`, taking its key from the studio's key file, `env` or the
 * secrets file (see resolveApiKey). Keys go to the SDK client and nowhere else: not into errors, not into logs.
 * `fetchForTests` replaces the transport; production callers leave it out.
 */
export function createProvider(
    config: ProviderConfig, env: NodeJS.ProcessEnv = process.env, keys: ApiKeyFiles = {}, fetchForTests?: typeof fetch
): ModelProvider {
    const apiKey = resolveApiKey(config, env, keys.secretsFile ?? env.STUDIO_SECRETS_FILE, keys.keyFile);
    const common = { apiKey, keyVariable: config.apiKeyVariable, baseUrl: config.baseUrl, maxRetries: config.maxRetries, idleTimeoutMs: config.streamIdleTimeoutMs, fetch: fetchForTests };
    if (config.maxRetries !== undefined && !(Number.isInteger(config.maxRetries) && config.maxRetries >= 0)) {
        throw new ProviderConfigError(`maxRetries for ${config.vendor} must be a whole number >= 0, not ${config.maxRetries}.`);
    }
    // OpenAI: the Responses API unless the agent asks for Chat Completions (a gateway); Moonshot: Chat Completions; others: none.
    const api = resolveOpenAIApi(config.vendor, config.api);
    switch (config.vendor) {
        case 'anthropic':
            return new AnthropicProvider(common);
        case 'google':
            return new GeminiProvider({ ...common, retryInitialDelayMs: config.retryInitialDelayMs });
        case 'openai':
        case 'moonshot':
            return api === 'responses'
                ? new OpenAIResponsesProvider(common)
                : new OpenAIChatProvider({ ...common, vendor: config.vendor });
        default:
            throw new ProviderConfigError(`unknown vendor ${String((config as { vendor: unknown }).vendor)}; use anthropic, google, openai or moonshot.`);
    }
}
