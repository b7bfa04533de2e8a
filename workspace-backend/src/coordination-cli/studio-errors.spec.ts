import * as assert from 'node:assert/strict';
import { ExitCode } from '../cli/cli-command';
import { StudioClient } from './studio-client';
import { errorOfFetchFailure, errorOfResponse, expiredTokenHint, StudioHttpError, StudioUnreachableError } from './studio-errors';
import { FakeStudio, NoAnswer } from './test-support/fake-studio';

describe('coditect error mapping', () => {
    it('takes the studio\'s own sentence from { error }, exit 2 for a bad request and 1 for a refusal', () => {
        const bad = errorOfResponse(400, 'Bad Request', JSON.stringify({ error: '"path" must be a workspace path.' }));
        assert.equal(bad.message, '"path" must be a workspace path.');
        assert.equal(bad.exitCode, ExitCode.usage);
        for (const status of [403, 404, 409, 503]) {
            const refused = errorOfResponse(status, '', JSON.stringify({ error: 'No.' }));
            assert.equal(refused.message, 'No.');
            assert.equal(refused.exitCode, ExitCode.failed, `status ${status}`);
            assert.equal(refused.status, status);
        }
    });

    it('adds what to do to a 401: the terminal\'s token ended', () => {
        const error = errorOfResponse(401, 'Unauthorized', JSON.stringify({ error: 'The token is not valid.' }));
        assert.equal(error.message, `The token is not valid.\n${expiredTokenHint}`);
        assert.equal(error.exitCode, ExitCode.failed);
    });

    it('says the status of an answer that is not the API\'s JSON, without echoing it', () => {
        const error = errorOfResponse(502, 'Bad Gateway', '<html>proxy error</html>');
        assert.equal(error.message, 'The studio answered 502 Bad Gateway.');
        assert.ok(error instanceof StudioHttpError);
    });

    it('names the socket\'s reason when the studio does not answer, from fetch\'s cause or an AggregateError in it', () => {
        const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
        assert.equal(errorOfFetchFailure(refused, 'http://127.0.0.1:3000', 30_000).message, 'The studio at http://127.0.0.1:3000 does not answer (ECONNREFUSED); is it running?');
        const both = new TypeError('fetch failed', { cause: new AggregateError([Object.assign(new Error('x'), { code: 'ETIMEDOUT' })]) });
        assert.match(errorOfFetchFailure(both, 'http://h', 30_000).message, /\(ETIMEDOUT\)/);
        const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
        const slow = errorOfFetchFailure(timeout, 'http://h', 30_000);
        assert.equal(slow.message, 'The studio at http://h does not answer (no answer in 30 s); is it running?');
        assert.equal(slow.exitCode, ExitCode.failed);
    });

    it('reports a closed port as the studio not answering', async () => {
        const studio = new FakeStudio();
        const url = await studio.start();
        await studio.close();
        const error = await new StudioClient(url, 'tok').get('/coditect/api/whoami').then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof StudioUnreachableError, String(error));
        assert.equal(error.message, `The studio at ${url} does not answer (ECONNREFUSED); is it running?`);
    });

    it('gives up on a studio that does not answer in time', async () => {
        const studio = new FakeStudio().answer('GET', '/coditect/api/whoami', NoAnswer);
        const url = await studio.start();
        try {
            const error = await new StudioClient(url, 'tok').get('/coditect/api/whoami', { timeoutMs: 200 }).then(() => undefined, (e: unknown) => e);
            assert.ok(error instanceof StudioUnreachableError, String(error));
            assert.match(error.message, /\(no answer in 200 ms\)/);
        } finally {
            await studio.close();
        }
    });
});
