import * as assert from 'node:assert/strict';
import { collectTurn, ModelRequest } from '../model-provider';
import { ProviderError } from '../provider-error';
import { ScriptedProvider } from './scripted-provider';

const request = (text: string): ModelRequest => ({ model: 'scripted', messages: [{ role: 'user', text }], tools: [] });

describe('ScriptedProvider', () => {
    it('plays turn N for request N, following the stream contract', async () => {
        const provider = new ScriptedProvider([
            { text: 'Reading it.', toolCalls: [{ id: 'c1', name: 'read_file', arguments: { path: 'a' } }], usage: { inputTokens: 5, outputTokens: 2 } },
            {
                text: 'Done.', expect: r => {
                    assert.deepEqual(r.messages.at(-1), { role: 'tool', results: [{ callId: 'c1', name: 'read_file', content: 'x' }] });
                },
            },
        ]);
        const first = await collectTurn(provider.stream(request('go')));
        assert.equal(first.text, 'Reading it.');
        assert.ok(first.events.filter(e => e.type === 'text-delta').length > 1, 'text arrives in pieces');
        assert.equal(first.stopReason, 'tool-use');
        assert.equal(first.usage.inputTokens, 5);
        assert.deepEqual(first.events.slice(-2).map(e => e.type), ['usage', 'done']);

        const second = await collectTurn(provider.stream({
            ...request('go'), messages: [{ role: 'tool', results: [{ callId: 'c1', name: 'read_file', content: 'x' }] }],
        }));
        assert.equal(second.stopReason, 'end');
        assert.equal(provider.requests.length, 2);
        assert.equal(provider.remaining, 0);
    });

    it('throws a scripted ProviderError, and says so when the script runs out', async () => {
        const error = new ProviderError('rate-limit', 'slow down', { vendor: 'anthropic', retryAfterMs: 100 });
        const provider = new ScriptedProvider([{ text: 'Hal', error }]);
        await assert.rejects(collectTurn(provider.stream(request('a'))), error);
        await assert.rejects(collectTurn(provider.stream(request('b'))), /the script has 1 turn\(s\) but request 2 came/);
    });

    it('lets a turn check what was sent, failing the stream when the check fails', async () => {
        const provider = new ScriptedProvider([{ text: 'x', expect: r => assert.equal(r.system, 'expected system') }]);
        await assert.rejects(collectTurn(provider.stream(request('a'))), /expected system/);
    });
});
