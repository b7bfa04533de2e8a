import * as assert from 'node:assert/strict';
import { SecretFreeEnvironmentUtils } from './secret-free-environment';

describe('terminals start without the backend\'s secrets', () => {
    before(() => {
        process.env.CODITEST_API_KEY = 'sk-planted-terminal-key';
    });

    after(() => {
        delete process.env.CODITEST_API_KEY;
    });

    it('drops secret-named variables the backend holds and keeps the rest and what the terminal was opened with', () => {
        const env = new SecretFreeEnvironmentUtils().mergeProcessEnv({ NPM_TOKEN: 'given-by-the-caller', EDITOR: 'vi' });
        assert.equal(env.CODITEST_API_KEY, undefined);
        assert.equal(env.PATH, process.env.PATH);
        assert.equal(env.NPM_TOKEN, 'given-by-the-caller');
        assert.equal(env.EDITOR, 'vi');
    });
});
