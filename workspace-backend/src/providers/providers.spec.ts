import * as assert from 'node:assert/strict';
import { createProvider } from './create-provider';
import { collectTurn, ConversationMessage, ModelProvider, ModelRequest, ToolCall, ToolDefinition, ToolResult, Vendor } from './model-provider';
import { ProviderError } from './provider-error';
import { ProviderConfig } from './provider-config';
import { FixtureServer, startFixtureServer } from './testing/fixture-server';
import { Fixtures } from './testing/fixtures';
import { responseObject, responseStart, usageObject } from './testing/fixtures/openai/responses-events';
import { TokenUsage, totalTokens } from './token-usage';

/**
 * The real SDKs against the fixture servers: each vendor's wire format, parsed into the
 * provider events, with usage normalised and errors classified. The planted key is not
 * key-shaped on purpose, so only the explicit masking of the configured key can hide it.
 */
const plantedKey = 'planted-secret-7f3a9c2e51d4';

const tools: ToolDefinition[] = [
    { name: 'read_file', description: 'Reads a workspace file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
    { name: 'list_dir', description: 'Lists a folder', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
];

interface ExpectedTurn {
    readonly text: string;
    readonly reasoning?: string;
    readonly toolCalls: (call: ToolCall[]) => void;
    readonly usage: TokenUsage;
}

interface VendorCase {
    readonly vendor: Vendor;
    readonly keyVariable: string;
    readonly model: string;
    readonly keyHeader: (headers: Record<string, unknown>) => unknown;
    readonly turn1: ExpectedTurn;
    readonly results: (calls: readonly ToolCall[]) => ToolResult[];
    readonly turn2: ExpectedTurn;
    /** The status the vendor answers a bad key with. */
    readonly authStatus: number;
}

const usage = (inputTokens: number, cacheReadTokens: number, cacheWriteTokens: number, outputTokens: number, reasoningTokens = 0): TokenUsage =>
    ({ inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens });
const readme = (call: ToolCall): ToolResult => ({ callId: call.id, name: call.name, content: '# Demo\nHello' });

const cases: VendorCase[] = [
    {
        vendor: 'anthropic', keyVariable: 'ANTHROPIC_API_KEY', model: 'claude-sonnet-4-6', authStatus: 401,
        keyHeader: headers => headers.authorization, // Anthropic SDK 1.x sends the key as a bearer token
        turn1: {
            text: 'I\'ll read the file.', usage: usage(12, 0, 1800, 48),
            toolCalls: calls => assert.deepEqual(calls, [{ id: 'toolu_01ReadFile', name: 'read_file', arguments: { path: 'README.md' } }]),
        },
        results: calls => [readme(calls[0])],
        turn2: { text: 'The README says hello.', usage: usage(40, 1800, 60, 25), toolCalls: calls => assert.deepEqual(calls, []) },
    },
    {
        vendor: 'openai', keyVariable: 'OPENAI_API_KEY', model: 'gpt-5-codex', authStatus: 401,
        keyHeader: headers => headers.authorization,
        turn1: {
            text: 'Let me look.', usage: usage(464, 1536, 0, 120, 64),
            toolCalls: calls => assert.deepEqual(calls, [
                { id: 'call_read1', name: 'read_file', arguments: { path: 'README.md' } },
                { id: 'call_list2', name: 'list_dir', arguments: { path: '.' } },
            ]),
        },
        results: calls => [readme(calls[0]), { callId: calls[1].id, name: calls[1].name, content: 'README.md\nsrc' }],
        turn2: { text: 'The README says hello.', usage: usage(130, 2048, 0, 20), toolCalls: calls => assert.deepEqual(calls, []) },
    },
    {
        vendor: 'moonshot', keyVariable: 'MOONSHOT_API_KEY', model: 'kimi-k2.6', authStatus: 401,
        keyHeader: headers => headers.authorization,
        turn1: {
            text: '', reasoning: 'The user wants the README; read it first.', usage: usage(388, 512, 0, 30),
            toolCalls: calls => assert.deepEqual(calls, [{ id: 'read_file:0', name: 'read_file', arguments: { path: 'README.md' } }]),
        },
        results: calls => [readme(calls[0])],
        turn2: { text: 'The README says hello.', usage: usage(100, 900, 0, 9), toolCalls: calls => assert.deepEqual(calls, []) },
    },
    {
        vendor: 'google', keyVariable: 'GEMINI_API_KEY', model: 'gemini-3-pro', authStatus: 400,
        keyHeader: headers => headers['x-goog-api-key'],
        turn1: {
            text: 'I\'ll read the file.', usage: usage(952, 2048, 0, 120, 90),
            toolCalls: calls => assert.deepEqual(calls, [{ id: 'gemini-call-1', name: 'read_file', arguments: { path: 'README.md' }, signature: 'c2lnbmF0dXJlLTE=' }]),
        },
        results: calls => [readme(calls[0])],
        turn2: { text: 'The README says hello.', usage: usage(256, 2944, 0, 12), toolCalls: calls => assert.deepEqual(calls, []) },
    },
];

function providerFor(c: VendorCase, server: { baseUrl: string }, overrides: Partial<ProviderConfig> = {}): ModelProvider {
    const config: ProviderConfig = { vendor: c.vendor, model: c.model, baseUrl: server.baseUrl, apiKeyVariable: c.keyVariable, maxRetries: 2, retryInitialDelayMs: 10, ...overrides };
    return createProvider(config, { [c.keyVariable]: plantedKey });
}

function firstRequest(c: VendorCase): ModelRequest {
    return { model: c.model, system: 'You are a careful coding agent.', messages: [{ role: 'user', text: 'What does the README say?' }], tools };
}

/** The first request followed by the model's first turn (as the orchestrator records it) and the results of its tool calls. */
function secondRequest(c: VendorCase, assistant: Extract<ConversationMessage, { role: 'assistant' }>): ModelRequest {
    const first = firstRequest(c);
    return { ...first, messages: [...first.messages, assistant, { role: 'tool', results: c.results(assistant.toolCalls ?? []) }] };
}

async function expectProviderError(stream: AsyncIterable<unknown>, check: (error: ProviderError) => void): Promise<void> {
    await assert.rejects(async () => {
        for await (const _event of stream) { /* drain */ }
    }, (error: unknown) => {
        assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
        assert.ok(!error.message.includes(plantedKey), `the message leaks the key: ${error.message}`);
        check(error);
        return true;
    });
}

for (const c of cases) {
    describe(`${c.vendor} provider against its fixture server`, () => {
        let server: FixtureServer | undefined;
        afterEach(async () => {
            await server?.stop();
            server = undefined;
        });

        it('runs a tool-call conversation: text and calls, then the final answer after the results', async () => {
            server = await startFixtureServer(c.vendor, 'tool-conversation');
            const provider = providerFor(c, server);
            const request = firstRequest(c);
            const turn1 = await collectTurn(provider.stream(request));
            assert.equal(turn1.text, c.turn1.text);
            assert.equal(turn1.reasoning, c.turn1.reasoning ?? '');
            c.turn1.toolCalls(turn1.toolCalls);
            assert.equal(turn1.stopReason, 'tool-use');
            assert.deepEqual(turn1.events.slice(-2).map(e => e.type), ['usage', 'done']);

            const turn2 = await collectTurn(provider.stream(secondRequest(c, { role: 'assistant', text: turn1.text, toolCalls: turn1.toolCalls, ...(turn1.reasoning ? { reasoning: turn1.reasoning } : {}) })));
            assert.equal(turn2.text, c.turn2.text);
            c.turn2.toolCalls(turn2.toolCalls);
            assert.equal(turn2.stopReason, 'end');

            // The server checked that request 2 carried the tool results; any mismatch is recorded here.
            assert.deepEqual(server.failures, []);
            assert.equal(server.requests.length, 2);
            assert.match(String(c.keyHeader(server.requests[0].headers)), new RegExp(`${plantedKey}$`));
        });

        it('normalises usage exactly: cached tokens never counted twice, reasoning inside output', async () => {
            server = await startFixtureServer(c.vendor, 'tool-conversation');
            const provider = providerFor(c, server);
            const turn1 = await collectTurn(provider.stream(firstRequest(c)));
            assert.deepEqual(turn1.usage, c.turn1.usage);
            const turn2 = await collectTurn(provider.stream(secondRequest(c, { role: 'assistant', text: turn1.text, toolCalls: turn1.toolCalls, reasoning: turn1.reasoning || undefined })));
            assert.deepEqual(turn2.usage, c.turn2.usage);
        });

        it('surfaces 429 at once as rate-limit with retry-after, without retrying inside the SDK', async () => {
            server = await startFixtureServer(c.vendor, 'rate-limited');
            await expectProviderError(providerFor(c, server).stream(firstRequest(c)), error => {
                assert.equal(error.kind, 'rate-limit');
                assert.equal(error.retryAfterMs, 7000);
                assert.equal(error.isWait, true);
                assert.match(error.message, /wait 7 s and retry/);
            });
            assert.equal(server.requests.length, 1);
        });

        it('reports a rejected key as auth, naming the variable and never the key', async () => {
            server = await startFixtureServer(c.vendor, 'unauthorized');
            await expectProviderError(providerFor(c, server).stream(firstRequest(c)), error => {
                assert.equal(error.kind, 'auth');
                assert.equal(error.status, c.authStatus);
                assert.equal(error.keyVariable, c.keyVariable);
                assert.ok(error.message.startsWith(`${c.keyVariable} was rejected`), error.message);
                assert.match(error.message, new RegExp(`set a valid key in ${c.keyVariable}`));
            });
        });

        it('retries 500 a bounded number of times, then reports a server error', async () => {
            server = await startFixtureServer(c.vendor, 'server-error');
            await expectProviderError(providerFor(c, server, { maxRetries: 2 }).stream(firstRequest(c)), error => {
                assert.equal(error.kind, 'server');
                assert.equal(error.status, 500);
                assert.equal(error.retryAfterMs, undefined);
            });
            assert.equal(server.requests.length, 3, 'one request and two retries');
        });

        it('turns a stream cut mid-message into malformed-stream, without hanging', async function () {
            this.timeout(5000);
            server = await startFixtureServer(c.vendor, 'cut-stream');
            await expectProviderError(providerFor(c, server).stream(firstRequest(c)), error => {
                assert.equal(error.kind, 'malformed-stream');
                assert.match(error.message, /retry it/);
            });
        });

        it('abandons a stream that stays open but goes silent, as malformed-stream', async function () {
            this.timeout(5000);
            const cut = Fixtures[c.vendor]['cut-stream'];
            const response = cut.turns[0].response;
            assert.ok(response.kind === 'stream' && response.cut);
            server = await startFixtureServer(c.vendor, { ...cut, turns: [{ response: { ...response, cut: { ...response.cut, how: 'stall' } } }] });
            const started = Date.now();
            await expectProviderError(providerFor(c, server, { streamIdleTimeoutMs: 200 }).stream(firstRequest(c)), error => {
                assert.equal(error.kind, 'malformed-stream');
                assert.match(error.message, /sent nothing for 200 ms/);
            });
            assert.ok(Date.now() - started < 2000, 'gave up promptly');
        });

        it('reports an unreachable endpoint as network', async () => {
            const closed = await startFixtureServer(c.vendor, 'tool-conversation');
            await closed.stop();
            await expectProviderError(providerFor(c, closed, { maxRetries: 0 }).stream(firstRequest(c)), error => {
                assert.equal(error.kind, 'network');
            });
        });
    });
}

describe('vendor-specific wire details', () => {
    let server: FixtureServer | undefined;
    afterEach(async () => {
        await server?.stop();
        server = undefined;
    });
    const byVendor = (vendor: Vendor): VendorCase => cases.find(c => c.vendor === vendor)!;

    it('anthropic: sends tools, system and prompt caching in its own shape', async () => {
        const c = byVendor('anthropic');
        server = await startFixtureServer('anthropic', 'tool-conversation');
        await collectTurn(providerFor(c, server).stream(firstRequest(c)));
        const body = server.requests[0].body as Record<string, unknown>;
        assert.equal(body.system, 'You are a careful coding agent.');
        assert.equal(body.stream, true);
        assert.deepEqual(body.cache_control, { type: 'ephemeral' });
        assert.deepEqual((body.tools as unknown[])[0], { name: 'read_file', description: 'Reads a workspace file', input_schema: tools[0].parameters });
    });

    it('anthropic: 529 overloaded is surfaced at once as overloaded', async () => {
        const c = byVendor('anthropic');
        server = await startFixtureServer('anthropic', 'overloaded');
        await expectProviderError(providerFor(c, server).stream(firstRequest(c)), error => assert.equal(error.kind, 'overloaded'));
        assert.equal(server.requests.length, 1);
    });

    it('anthropic: an error event inside the stream ends it as overloaded, after the text already streamed', async () => {
        const c = byVendor('anthropic');
        server = await startFixtureServer('anthropic', 'overloaded-mid-stream');
        const texts: string[] = [];
        await assert.rejects(async () => {
            for await (const event of providerFor(c, server!).stream(firstRequest(c))) {
                if (event.type === 'text-delta') {
                    texts.push(event.text);
                }
            }
        }, (error: unknown) => error instanceof ProviderError && error.kind === 'overloaded');
        assert.deepEqual(texts, ['I\'ll read ']);
    });

    it('openai: speaks the Responses API: instructions, input items, function tools, max_output_tokens, nothing stored', async () => {
        const c = byVendor('openai');
        server = await startFixtureServer('openai', 'tool-conversation');
        await collectTurn(providerFor(c, server).stream({ ...firstRequest(c), maxTokens: 1000 }));
        const { path, body } = server.requests[0] as { path: string; body: Record<string, unknown> };
        assert.equal(path, '/v1/responses');
        assert.equal(body.instructions, 'You are a careful coding agent.');
        assert.deepEqual(body.input, [{ role: 'user', content: 'What does the README say?' }]);
        assert.equal(body.max_output_tokens, 1000);
        assert.equal(body.stream, true);
        assert.equal(body.store, false);
        assert.deepEqual((body.tools as unknown[])[0], { type: 'function', name: 'read_file', description: 'Reads a workspace file', parameters: tools[0].parameters, strict: false });
        assert.equal(body.messages, undefined);
    });

    it('openai: sends the turn back as function_call items and the results as function_call_output items', async () => {
        const c = byVendor('openai');
        server = await startFixtureServer('openai', 'tool-conversation');
        const provider = providerFor(c, server);
        const turn1 = await collectTurn(provider.stream(firstRequest(c)));
        await collectTurn(provider.stream(secondRequest(c, { role: 'assistant', text: turn1.text, toolCalls: turn1.toolCalls })));
        assert.deepEqual((server.requests[1].body as Record<string, unknown>).input, [
            { role: 'user', content: 'What does the README say?' },
            { role: 'assistant', content: 'Let me look.' },
            { type: 'function_call', call_id: 'call_read1', name: 'read_file', arguments: '{"path":"README.md"}' },
            { type: 'function_call', call_id: 'call_list2', name: 'list_dir', arguments: '{"path":"."}' },
            { type: 'function_call_output', call_id: 'call_read1', output: '# Demo\nHello' },
            { type: 'function_call_output', call_id: 'call_list2', output: 'README.md\nsrc' },
        ]);
    });

    it('openai: a response that ends cleanly before response.completed is malformed-stream', async () => {
        const c = byVendor('openai');
        server = await startFixtureServer('openai', 'truncated-stream');
        await expectProviderError(providerFor(c, server).stream(firstRequest(c)), error => {
            assert.equal(error.kind, 'malformed-stream');
            assert.match(error.message, /before response\.completed/);
        });
    });

    it('openai: response.incomplete at max_output_tokens ends as max-tokens with its usage, the cut-short call left out', async () => {
        const c = byVendor('openai');
        server = await startFixtureServer('openai', 'max-output-tokens');
        const turn = await collectTurn(providerFor(c, server).stream(firstRequest(c)));
        assert.equal(turn.stopReason, 'max-tokens');
        assert.equal(turn.text, 'Let me look.');
        assert.deepEqual(turn.toolCalls, [{ id: 'call_read1', name: 'read_file', arguments: { path: 'README.md' } }]);
        assert.deepEqual(turn.usage, usage(464, 1536, 0, 256, 200));
    });

    it('openai: response.failed and the error event become ProviderErrors with what OpenAI said', async () => {
        const c = byVendor('openai');
        server = await startFixtureServer('openai', 'response-failed');
        await expectProviderError(providerFor(c, server).stream(firstRequest(c)), error => {
            assert.equal(error.kind, 'server');
            assert.match(error.message, /OpenAI said: The model produced invalid content/);
        });
        await server.stop();
        server = await startFixtureServer('openai', 'error-event');
        await expectProviderError(providerFor(c, server).stream(firstRequest(c)), error => {
            assert.equal(error.kind, 'bad-request');
            assert.match(error.message, /exceeds the context window/);
        });
        assert.equal(server.requests.length, 1, 'an error inside the stream is not retried by the SDK');
    });

    it('openai: keeps separate messages and reasoning summary parts apart, a blank line between them', async () => {
        const c = byVendor('openai');
        const turn = { id: 'resp_0parts', model: 'gpt-5-codex' };
        const events: Record<string, unknown>[] = [
            ...responseStart(turn),
            { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta: '**Reading**' },
            { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 1, delta: '**Answering**' },
            { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'I looked', logprobs: [] },
            { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 1, content_index: 0, delta: '.', logprobs: [] },
            { type: 'response.output_text.delta', item_id: 'msg_2', output_index: 2, content_index: 0, delta: 'It says hello.', logprobs: [] },
            { type: 'response.completed', response: responseObject(turn, 'completed', [], usageObject({ input: 10, cached: 0, cacheWrite: 0, output: 5, reasoning: 2 })) },
        ].map((event, i) => ({ ...event, sequence_number: i }));
        server = await startFixtureServer('openai', { wire: 'openai-responses', description: 'two summary parts, two messages', turns: [{ response: { kind: 'stream', events } }] });
        const collected = await collectTurn(providerFor(c, server).stream(firstRequest(c)));
        assert.equal(collected.reasoning, '**Reading**\n\n**Answering**');
        assert.equal(collected.text, 'I looked.\n\nIt says hello.');
        assert.equal(collected.stopReason, 'end');
    });

    it('openai: api "chat-completions" speaks Chat Completions instead (OpenAI-compatible gateways)', async () => {
        const c = byVendor('openai');
        server = await startFixtureServer('openai', Fixtures.moonshot['tool-conversation']);
        const turn = await collectTurn(providerFor(c, server, { api: 'chat-completions' }).stream(firstRequest(c)));
        assert.deepEqual(turn.toolCalls, [{ id: 'read_file:0', name: 'read_file', arguments: { path: 'README.md' } }]);
        assert.equal(server.requests[0].path, '/v1/chat/completions');
        assert.deepEqual(server.failures, []);
    });

    it('moonshot: replays reasoning_content with the tool call and uses its default endpoint when none is given', async () => {
        const c = byVendor('moonshot');
        server = await startFixtureServer('moonshot', 'tool-conversation');
        const provider = providerFor(c, server);
        const turn1 = await collectTurn(provider.stream(firstRequest(c)));
        await collectTurn(provider.stream(secondRequest(c, { role: 'assistant', text: '', toolCalls: turn1.toolCalls, reasoning: turn1.reasoning })));
        const assistant = ((server.requests[1].body as Record<string, unknown>).messages as Record<string, unknown>[])[2];
        assert.equal(assistant.reasoning_content, 'The user wants the README; read it first.');
        assert.equal(assistant.content, null);
        assert.equal(provider.vendor, 'moonshot');
    });

    it('google: sends the thought signature back and no made-up call id', async () => {
        const c = byVendor('google');
        server = await startFixtureServer('google', 'tool-conversation');
        const provider = providerFor(c, server);
        const turn1 = await collectTurn(provider.stream(firstRequest(c)));
        await collectTurn(provider.stream(secondRequest(c, { role: 'assistant', text: turn1.text, toolCalls: turn1.toolCalls })));
        const body = server.requests[1].body as { contents: { role: string; parts: Record<string, unknown>[] }[]; systemInstruction?: unknown; tools?: unknown };
        assert.equal(body.contents[1].role, 'model');
        assert.deepEqual(body.contents[1].parts[1], { functionCall: { name: 'read_file', args: { path: 'README.md' } }, thoughtSignature: 'c2lnbmF0dXJlLTE=' });
        assert.deepEqual(body.contents[2].parts[0], { functionResponse: { name: 'read_file', response: { output: '# Demo\nHello' } } });
        assert.match(server.requests[1].path, /^\/v1(beta)?\/models\/gemini-3-pro:streamGenerateContent\?alt=sse$/);
    });

    it('google: the normalised parts add up to the totalTokenCount Gemini reports', async () => {
        const fixture = Fixtures.google['tool-conversation'];
        const response = fixture.turns[0].response;
        assert.ok(response.kind === 'stream');
        const reported = (response.events.at(-1)!.usageMetadata as { totalTokenCount: number }).totalTokenCount;
        assert.equal(totalTokens(byVendor('google').turn1.usage), reported);
    });

    it('an abort ends the stream with the signal\'s reason, not a ProviderError', async () => {
        const c = byVendor('anthropic');
        server = await startFixtureServer('anthropic', 'tool-conversation');
        const controller = new AbortController();
        await assert.rejects(async () => {
            for await (const event of providerFor(c, server!).stream({ ...firstRequest(c), signal: controller.signal })) {
                if (event.type === 'text-delta') {
                    controller.abort();
                }
            }
        }, (error: unknown) => !(error instanceof ProviderError) && (error as Error).name === 'AbortError');
    });
});
