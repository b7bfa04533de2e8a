import * as assert from 'node:assert/strict';
import { isWaitStatus, kindForStatus, maskSecrets, parseRetryAfter, ProviderError } from './provider-error';

const headers = (values: Record<string, string>): Headers => new Headers(values);

describe('maskSecrets', () => {
    it('masks a known secret wherever it appears', () => {
        assert.equal(maskSecrets('key planted-1234 and again planted-1234.', ['planted-1234']), 'key *** and again ***.');
    });

    it('masks key-shaped text even when the key is unknown', () => {
        const text = 'sk-ant-api03-abcdefghijklmnop AIzaSyA1234567890abcdefghijklmnop Bearer abc.def-ghi_jkl ?key=secretvalue&x=1 "x-api-key": "zzzzzzzzzzzz"';
        const masked = maskSecrets(text);
        for (const leak of ['abcdefghijklmnop', 'AIzaSyA1234567890', 'abc.def-ghi_jkl', 'secretvalue', 'zzzzzzzzzzzz']) {
            assert.ok(!masked.includes(leak), `${leak} survived in: ${masked}`);
        }
        assert.match(masked, /Bearer \*\*\*/);
        assert.match(masked, /\?key=\*\*\*&x=1/);
    });

    it('leaves ordinary text and very short "secrets" alone', () => {
        assert.equal(maskSecrets('rate limit reached for model gpt-5', ['ab']), 'rate limit reached for model gpt-5');
    });

    it('is applied by the ProviderError constructor', () => {
        const error = new ProviderError('auth', 'rejected my-secret-key-value', { vendor: 'openai' }, ['my-secret-key-value']);
        assert.equal(error.message, 'rejected ***');
    });
});

describe('parseRetryAfter', () => {
    it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
        assert.equal(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '9' })), 250);
        assert.equal(parseRetryAfter(headers({ 'retry-after': '1.5' })), 1500);
        const now = Date.parse('2026-01-01T00:00:00Z');
        assert.equal(parseRetryAfter(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now), 30_000);
    });

    it('gives undefined for missing or unusable values', () => {
        assert.equal(parseRetryAfter(undefined), undefined);
        assert.equal(parseRetryAfter(headers({})), undefined);
        assert.equal(parseRetryAfter(headers({ 'retry-after': 'soon' })), undefined);
        assert.equal(parseRetryAfter(headers({ 'retry-after': '-3' })), undefined);
    });
});

describe('status classification', () => {
    it('maps statuses to kinds and marks the wait statuses', () => {
        assert.deepEqual([429, 529, 503, 401, 403, 500, 502, 400, 404].map(kindForStatus),
            ['rate-limit', 'overloaded', 'overloaded', 'auth', 'auth', 'server', 'server', 'bad-request', 'bad-request']);
        assert.deepEqual([429, 529, 503, 500, 502].map(isWaitStatus), [true, true, true, false, false]);
    });
});
