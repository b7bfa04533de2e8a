import * as assert from 'node:assert/strict';
import type { ConversationMessage, ModelRequest } from './model-provider';
import { toResponsesInput, toResponsesParams } from './openai-responses-params';

describe('openai responses request mapping', () => {
    it('maps the history to input items: messages, function calls and their outputs, in order', () => {
        const messages: ConversationMessage[] = [
            { role: 'user', text: 'Fix the bug.' },
            {
                role: 'assistant', text: 'Reading two files.', reasoning: 'visible thoughts are not sent back',
                toolCalls: [
                    { id: 'call_a', name: 'read_file', arguments: { path: 'a.ts' } },
                    { id: 'call_b', name: 'list_files', arguments: {} },
                ],
            },
            {
                role: 'tool', results: [
                    { callId: 'call_a', name: 'read_file', content: 'export const a = 1;\n' },
                    { callId: 'call_b', name: 'list_files', content: 'no such folder', isError: true },
                ],
            },
            // A turn of calls only: no empty assistant message.
            { role: 'assistant', text: '', toolCalls: [{ id: 'call_c', name: 'finish', arguments: { summary: 'done' } }] },
            { role: 'tool', results: [{ callId: 'call_c', name: 'finish', content: 'ok' }] },
            { role: 'assistant', text: 'All done.', toolCalls: [] },
            { role: 'user', text: 'Thanks.' },
        ];
        assert.deepEqual(toResponsesInput(messages), [
            { role: 'user', content: 'Fix the bug.' },
            { role: 'assistant', content: 'Reading two files.' },
            { type: 'function_call', call_id: 'call_a', name: 'read_file', arguments: '{"path":"a.ts"}' },
            { type: 'function_call', call_id: 'call_b', name: 'list_files', arguments: '{}' },
            { type: 'function_call_output', call_id: 'call_a', output: 'export const a = 1;\n' },
            { type: 'function_call_output', call_id: 'call_b', output: 'Error: no such folder' },
            { type: 'function_call', call_id: 'call_c', name: 'finish', arguments: '{"summary":"done"}' },
            { type: 'function_call_output', call_id: 'call_c', output: 'ok' },
            { role: 'assistant', content: 'All done.' },
            { role: 'user', content: 'Thanks.' },
        ]);
    });

    it('builds a stateless streaming request with function tools that are not strict', () => {
        const request: ModelRequest = {
            model: 'gpt-5-codex', system: 'Be careful.', messages: [{ role: 'user', text: 'Hi' }], maxTokens: 4096, temperature: 0.2,
            tools: [{ name: 'read_file', description: 'Reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
        };
        assert.deepEqual(toResponsesParams(request), {
            model: 'gpt-5-codex', instructions: 'Be careful.', input: [{ role: 'user', content: 'Hi' }],
            tools: [{ type: 'function', name: 'read_file', description: 'Reads a file', parameters: request.tools[0].parameters, strict: false }],
            max_output_tokens: 4096, temperature: 0.2, stream: true, store: false,
        });
    });

    it('leaves out what the request does not set', () => {
        assert.deepEqual(toResponsesParams({ model: 'gpt-5-codex', messages: [{ role: 'user', text: 'Hi' }], tools: [] }), {
            model: 'gpt-5-codex', input: [{ role: 'user', content: 'Hi' }], stream: true, store: false,
        });
    });
});
