import * as assert from 'node:assert/strict';
import { addUsage, fromAnthropicUsage, fromGeminiUsage, fromOpenAIUsage, fromResponsesUsage, totalTokens, zeroUsage } from './token-usage';

describe('token usage normalisation', () => {
    it('anthropic: input already excludes cache reads and writes; thinking is inside output', () => {
        const usage = fromAnthropicUsage({ input_tokens: 10, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 50, output_tokens_details: { thinking_tokens: 30 } });
        assert.deepEqual(usage, { inputTokens: 10, cacheReadTokens: 1000, cacheWriteTokens: 200, outputTokens: 50, reasoningTokens: 30 });
        assert.equal(totalTokens(usage), 1260);
    });

    it('openai: cached and cache-write tokens are taken out of prompt_tokens; reasoning stays inside completion', () => {
        const usage = fromOpenAIUsage({
            prompt_tokens: 2000, completion_tokens: 120,
            prompt_tokens_details: { cached_tokens: 1536, cache_write_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 64 },
        });
        assert.deepEqual(usage, { inputTokens: 364, cacheReadTokens: 1536, cacheWriteTokens: 100, outputTokens: 120, reasoningTokens: 64 });
        // prompt + completion, each token once
        assert.equal(totalTokens(usage), 2120);
    });

    it('openai responses: cached and cache-write tokens are taken out of input_tokens; reasoning stays inside output_tokens', () => {
        const reported = {
            input_tokens: 2000, output_tokens: 120, total_tokens: 2120,
            input_tokens_details: { cached_tokens: 1536, cache_write_tokens: 100 }, output_tokens_details: { reasoning_tokens: 64 },
        };
        const usage = fromResponsesUsage(reported);
        assert.deepEqual(usage, { inputTokens: 364, cacheReadTokens: 1536, cacheWriteTokens: 100, outputTokens: 120, reasoningTokens: 64 });
        // OpenAI's own total_tokens is input + output, each token once
        assert.equal(totalTokens(usage), reported.total_tokens);
        // the same counts through Chat Completions' names normalise the same way
        assert.deepEqual(fromOpenAIUsage({
            prompt_tokens: 2000, completion_tokens: 120,
            prompt_tokens_details: { cached_tokens: 1536, cache_write_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 64 },
        }), usage);
    });

    it('moonshot: top-level cached_tokens counts as a cache read inside prompt_tokens', () => {
        assert.deepEqual(fromOpenAIUsage({ prompt_tokens: 900, completion_tokens: 30, cached_tokens: 512 }),
            { inputTokens: 388, cacheReadTokens: 512, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 0 });
    });

    it('gemini: cached content is inside the prompt count, thoughts are outside the candidates count', () => {
        const reported = { promptTokenCount: 3000, cachedContentTokenCount: 2048, candidatesTokenCount: 30, thoughtsTokenCount: 90, toolUsePromptTokenCount: 5 };
        const usage = fromGeminiUsage(reported);
        assert.deepEqual(usage, { inputTokens: 957, cacheReadTokens: 2048, cacheWriteTokens: 0, outputTokens: 120, reasoningTokens: 90 });
        // Gemini's own totalTokenCount is prompt + candidates + toolUsePrompt + thoughts
        assert.equal(totalTokens(usage), 3000 + 30 + 5 + 90);
    });

    it('treats missing and null fields as zero and never goes negative', () => {
        assert.deepEqual(fromAnthropicUsage({ input_tokens: null, output_tokens: 3 }), { ...zeroUsage, outputTokens: 3 });
        assert.equal(fromOpenAIUsage({ prompt_tokens: 5, prompt_tokens_details: { cached_tokens: 9 } }).inputTokens, 0);
        assert.equal(fromResponsesUsage({ input_tokens: 5, input_tokens_details: { cached_tokens: 9 } }).inputTokens, 0);
        assert.deepEqual(fromResponsesUsage({ input_tokens: 7, output_tokens: null, input_tokens_details: null, output_tokens_details: null }), { ...zeroUsage, inputTokens: 7 });
        assert.deepEqual(fromGeminiUsage({}), zeroUsage);
    });

    it('adds usages field by field', () => {
        const a = { inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheWriteTokens: 4, reasoningTokens: 1 };
        assert.deepEqual(addUsage(a, a), { inputTokens: 2, outputTokens: 4, cacheReadTokens: 6, cacheWriteTokens: 8, reasoningTokens: 2 });
    });
});
