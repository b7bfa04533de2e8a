import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createProvider } from './create-provider';
import { OpenAIChatProvider } from './openai-chat-provider';
import { OpenAIResponsesProvider } from './openai-responses-provider';
import { ProviderConfig, ProviderConfigError, readSecretsFile, resolveApiKey, resolveOpenAIApi } from './provider-config';

const config: ProviderConfig = { vendor: 'anthropic', model: 'claude-sonnet-4-6', apiKeyVariable: 'ANTHROPIC_API_KEY' };

describe('provider configuration', () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'providers-config-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('takes the key from the environment before the secrets file', () => {
        const file = path.join(dir, 'secrets.json');
        fs.writeFileSync(file, JSON.stringify({ ANTHROPIC_API_KEY: 'from-file' }));
        assert.equal(resolveApiKey(config, { ANTHROPIC_API_KEY: 'from-env' }, file), 'from-env');
        assert.equal(resolveApiKey(config, {}, file), 'from-file');
        assert.equal(resolveApiKey(config, { STUDIO_SECRETS_FILE: file }), 'from-file');
    });

    it('reads .env-style secrets files', () => {
        const file = path.join(dir, 'secrets.env');
        fs.writeFileSync(file, '# keys\nexport ANTHROPIC_API_KEY="quoted value"\nGEMINI_API_KEY = plain\n\n');
        assert.deepEqual(readSecretsFile(file), { ANTHROPIC_API_KEY: 'quoted value', GEMINI_API_KEY: 'plain' });
    });

    it('names the missing variable and where it looked, never a value', () => {
        const file = path.join(dir, 'secrets.env');
        fs.writeFileSync(file, 'OTHER_KEY=do-not-print-me\n');
        assert.throws(() => resolveApiKey(config, {}, file), (error: Error) =>
            error instanceof ProviderConfigError && /ANTHROPIC_API_KEY is not set\. An admin adds it with "Set Provider Key…".* or sets ANTHROPIC_API_KEY in the environment or the secrets file/.test(error.message)
            && !error.message.includes('do-not-print-me'));
        assert.throws(() => resolveApiKey(config, { ANTHROPIC_API_KEY: '  ' }), /sets ANTHROPIC_API_KEY/);
    });

    it('rejects unreadable and malformed secrets files without echoing their content', () => {
        assert.throws(() => readSecretsFile(path.join(dir, 'missing')), /cannot read the secrets file .*ENOENT/);
        const bad = path.join(dir, 'bad.env');
        fs.writeFileSync(bad, 'sk-live-secret-line\n');
        assert.throws(() => readSecretsFile(bad), (error: Error) => /unreadable line 1/.test(error.message) && !error.message.includes('sk-live'));
        const badJson = path.join(dir, 'bad.json');
        fs.writeFileSync(badJson, '{ "ANTHROPIC_API_KEY": "x", }');
        assert.throws(() => readSecretsFile(badJson), /not valid JSON/);
    });

    it('creates the provider of each vendor, and refuses bad settings', () => {
        const env = { K: 'key-value-1234' };
        assert.equal(createProvider({ ...config, apiKeyVariable: 'K' }, env).vendor, 'anthropic');
        assert.equal(createProvider({ vendor: 'google', model: 'gemini-3-pro', apiKeyVariable: 'K' }, env).vendor, 'google');
        assert.equal(createProvider({ vendor: 'openai', model: 'gpt-5-codex', apiKeyVariable: 'K' }, env).vendor, 'openai');
        assert.equal(createProvider({ vendor: 'moonshot', model: 'kimi-k2.6', apiKeyVariable: 'K' }, env).vendor, 'moonshot');
        assert.throws(() => createProvider({ ...config, apiKeyVariable: 'K', maxRetries: -1 }, env), /maxRetries for anthropic must be a whole number/);
        assert.throws(() => createProvider({ ...config, apiKeyVariable: 'K', vendor: 'mistral' as never }, env), /unknown vendor mistral/);
    });

    it('speaks the Responses API to OpenAI unless told otherwise, Chat Completions to Moonshot', () => {
        const env = { K: 'key-value-1234' };
        assert.ok(createProvider({ vendor: 'openai', model: 'gpt-5-codex', apiKeyVariable: 'K' }, env) instanceof OpenAIResponsesProvider);
        assert.ok(createProvider({ vendor: 'openai', model: 'gpt-4.1', apiKeyVariable: 'K', api: 'chat-completions' }, env) instanceof OpenAIChatProvider);
        assert.ok(createProvider({ vendor: 'moonshot', model: 'kimi-k2.6', apiKeyVariable: 'K' }, env) instanceof OpenAIChatProvider);
        assert.equal(resolveOpenAIApi('anthropic', undefined), undefined);
        assert.throws(() => createProvider({ vendor: 'moonshot', model: 'kimi-k2.6', apiKeyVariable: 'K', api: 'responses' }, env), /Moonshot speaks only Chat Completions/);
        assert.throws(() => createProvider({ ...config, apiKeyVariable: 'K', api: 'chat-completions' }, env), /api applies to the openai and moonshot vendors only/);
        assert.throws(() => resolveOpenAIApi('openai', 'completions'), /api must be "responses" or "chat-completions", not "completions"/);
    });
});
