import * as fs from 'node:fs';
import type { Vendor } from './model-provider';
import { ProviderKeyFile } from './provider-key-file';

/** How to reach one vendor. The key itself is never part of the configuration, only the variable that holds it. */
export interface ProviderConfig {
    readonly vendor: Vendor;
    /** The model this agent uses; requests carry it too (ModelRequest.model), this keeps a configured agent one object. */
    readonly model: string;
    /** Overrides the vendor's endpoint (a proxy, or a fixture server in tests). */
    readonly baseUrl?: string;
    /** The variable holding the key, e.g. ANTHROPIC_API_KEY; looked up in the studio's key file, the environment, then the secrets file. */
    readonly apiKeyVariable: string;
    /** Bounded SDK retries for 5xx, timeouts and (Anthropic, OpenAI) connection errors. Default 2. Never applied to 429/529/503. */
    readonly maxRetries?: number;
    /** First backoff for Gemini's retries (its SDK has no retry-after support). Default 1000 ms. The Stainless SDKs pick their own. */
    readonly retryInitialDelayMs?: number;
    /** Abandon a stream (malformed-stream) after this much silence. Default 300 000 ms; see idle-guard.ts. */
    readonly streamIdleTimeoutMs?: number;
    /** The OpenAI protocol to speak; see resolveOpenAIApi. Only for `openai` and `moonshot`. */
    readonly api?: OpenAIApi;
}

/** OpenAI's two protocols: the Responses API, and Chat Completions (also Moonshot's). */
export type OpenAIApi = 'chat-completions' | 'responses';
export const OpenAIApis: readonly OpenAIApi[] = ['responses', 'chat-completions'];

/**
 * The protocol a vendor is spoken to in: `openai` defaults to `responses` (its codex models are
 * served only there) and may be set to `chat-completions` for OpenAI-compatible gateways that
 * lack the Responses API; `moonshot` speaks only `chat-completions`; the other vendors have one
 * protocol of their own (undefined). Throws, saying what to write instead, for anything else.
 */
export function resolveOpenAIApi(vendor: Vendor, api: unknown): OpenAIApi | undefined {
    if (api !== undefined && !OpenAIApis.includes(api as OpenAIApi)) {
        throw new ProviderConfigError(`api must be ${OpenAIApis.map(a => `"${a}"`).join(' or ')}, not ${JSON.stringify(api)}.`);
    }
    switch (vendor) {
        case 'openai':
            return (api as OpenAIApi | undefined) ?? 'responses';
        case 'moonshot':
            if (api === 'responses') {
                throw new ProviderConfigError('Moonshot speaks only Chat Completions; leave api out or set it to "chat-completions".');
            }
            return 'chat-completions';
        default:
            if (api !== undefined) {
                throw new ProviderConfigError(`api applies to the openai and moonshot vendors only; leave it out for ${vendor}.`);
            }
            return undefined;
    }
}

/** Where a key may come from, in order: the environment, then this file (JSON object or `.env` lines). */
export const SecretsFileVariable = 'STUDIO_SECRETS_FILE';

export const DefaultApiKeyVariables: Readonly<Record<Vendor, string>> = {
    anthropic: 'ANTHROPIC_API_KEY',
    google: 'GEMINI_API_KEY',
    openai: 'OPENAI_API_KEY',
    moonshot: 'MOONSHOT_API_KEY',
};

export class ProviderConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ProviderConfigError';
    }
}

/**
 * Reads a secrets file: a JSON object of strings, or `.env` lines (`NAME=value`, optional
 * `export `, quotes, `#` comments). Errors name the file and line, never a value.
 */
export function readSecretsFile(file: string): Record<string, string> {
    let text: string;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch (error) {
        throw new ProviderConfigError(`cannot read the secrets file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); fix ${SecretsFileVariable} or the file's permissions.`);
    }
    if (text.trimStart().startsWith('{')) {
        let parsed: unknown;
        try {
            parsed = JSON.parse(text);
        } catch {
            throw new ProviderConfigError(`the secrets file ${file} starts like JSON but is not valid JSON; write a JSON object of strings or .env lines.`);
        }
        const secrets: Record<string, string> = {};
        for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
            if (typeof value === 'string') {
                secrets[name] = value;
            }
        }
        return secrets;
    }
    const secrets: Record<string, string> = {};
    text.split(/\r?\n/).forEach((raw, index) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#')) {
            return;
        }
        const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
        if (!match) {
            throw new ProviderConfigError(`the secrets file ${file} has an unreadable line ${index + 1}; write NAME=value.`);
        }
        let value = match[2].trim();
        if (value.length >= 2 && (value[0] === '"' || value[0] === '\'') && value.endsWith(value[0])) {
            value = value.slice(1, -1);
        }
        secrets[match[1]] = value;
    });
    return secrets;
}

/** The files keys are read from besides the environment: the studio's key file (ProviderKeyFile) and the operator's secrets file. */
export interface ApiKeyFiles {
    readonly keyFile?: string;
    readonly secretsFile?: string;
}

/** No key for an agent's provider anywhere: a setup step (the agent "needs a key"), not a fault. */
export class MissingApiKeyError extends ProviderConfigError {
    constructor(readonly vendor: Vendor, readonly variable: string, where: string) {
        super(`no API key for ${vendor}: ${variable} is not set. An admin adds it with "Set Provider Key…" (the agent panel, the welcome page or the ` +
            `command palette), or sets ${variable} in ${where}.`);
        this.name = 'MissingApiKeyError';
    }
}

/** Where the key an agent's provider uses comes from, in the order they are looked up (findApiKey). */
export type ProviderKeySource = 'studio' | 'environment' | 'secrets-file';

/** What a key is looked up in; the secrets file is read only when the first two lack the key. */
export interface ApiKeySources {
    /** The keys an admin set in the studio (ProviderKeyFile's entries). */
    readonly studio: Readonly<Record<string, { readonly value: string }>>;
    readonly env: NodeJS.ProcessEnv;
    readonly secretsFile: () => Readonly<Record<string, string>>;
}

/**
 * The one lookup order of a provider's key: the studio's key file (which wins, being the latest
 * word), the environment, the secrets file. Undefined when none has a non-blank value.
 */
export function findApiKey(variable: string, sources: ApiKeySources): { readonly value: string; readonly source: ProviderKeySource } | undefined {
    const lookups: readonly [ProviderKeySource, () => string | undefined][] = [
        ['studio', () => sources.studio[variable]?.value.trim()],
        ['environment', () => sources.env[variable]?.trim()],
        ['secrets-file', () => sources.secretsFile()[variable]?.trim()],
    ];
    for (const [source, lookup] of lookups) {
        const value = lookup();
        if (value) {
            return { value, source };
        }
    }
    return undefined;
}

/**
 * The key for `config` (findApiKey's order). Throws naming the variable and where it was looked
 * for (never a value): MissingApiKeyError when none has it. A key file that cannot be read is
 * passed over, and its problem is part of that error; an unreadable secrets file throws.
 */
export function resolveApiKey(config: ProviderConfig, env: NodeJS.ProcessEnv, secretsFile: string | undefined = env[SecretsFileVariable], keyFile?: string): string {
    const name = config.apiKeyVariable;
    let studio: Readonly<Record<string, { readonly value: string }>> = {};
    let keyFileProblem = '';
    if (keyFile) {
        try {
            studio = new ProviderKeyFile(keyFile, env).read();
        } catch (error) {
            keyFileProblem = ` (The keys set in the studio are not usable: ${(error as Error).message})`;
        }
    }
    const found = findApiKey(name, { studio, env, secretsFile: () => secretsFile ? readSecretsFile(secretsFile) : {} });
    if (found) {
        return found.value;
    }
    const where = secretsFile ? `the environment or the secrets file ${secretsFile}` : `the environment (or a secrets file named by ${SecretsFileVariable})`;
    const error = new MissingApiKeyError(config.vendor, name, where);
    error.message += keyFileProblem;
    throw error;
}
