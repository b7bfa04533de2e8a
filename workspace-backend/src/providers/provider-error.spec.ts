import * as assert from 'node:assert/strict';
import { isWaitStatus, kindForStatus, parseRetryAfter, ProviderError } from './provider-error';

const headers = (values: Record<string, string>): Headers => new Headers(values);

describe('ProviderError', () => {
    it('masks secrets in its message (policy/secrets.ts)', () => {
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
