import * as assert from 'node:assert/strict';
import { isSecretName, maskSecrets, secretValuesOf, withoutSecrets } from './secrets';

describe('secrets: the one detector and masker', () => {
    it('masks a known secret wherever it appears', () => {
        assert.equal(maskSecrets('key planted-1234 and again planted-1234.', ['planted-1234']), 'key *** and again ***.');
        assert.equal(maskSecrets('no shape here, just planted-1234', ['planted-1234']), 'no shape here, just ***', 'a known value needs no key shape');
    });

    it('masks key-shaped text even when the key is unknown', () => {
        const text = 'sk-ant-api03-abcdefghijklmnop AIzaSyA1234567890abcdefghijklmnop Bearer abc.def-ghi_jkl ?key=secretvalue&x=1 "x-api-key": "zzzzzzzzzzzz"';
        const masked = maskSecrets(text);
        for (const leak of ['abcdefghijklmnop', 'AIzaSyA1234567890', 'abc.def-ghi_jkl', 'secretvalue', 'zzzzzzzzzzzz']) {
            assert.ok(!masked.includes(leak), `${leak} survived in: ${masked}`);
        }
        assert.match(masked, /Bearer \*\*\*/);
        assert.match(masked, /\?key=\*\*\*&x=1/);
        for (const text of ['an agent token cdt_0123456789abcdefghijKLMNOP in a file', 'OPENAI key sk-proj-ABCDEFGH12345678 in a log', 'basic   dXNlcjpwYXNzd29yZA==', 'url?access_token=tok12345678', 'api_key=0123456789', 'AUTHORIZATION=xyz12345678']) {
            assert.notEqual(maskSecrets(text), text, text);
        }
    });

    it('leaves ordinary text and very short "secrets" alone', () => {
        assert.equal(maskSecrets('rate limit reached for model gpt-5', ['ab']), 'rate limit reached for model gpt-5');
        for (const text of ['plain model text about src/a.ts', 'keyboard', 'tokenizer stats', '']) {
            assert.equal(maskSecrets(text, ['hunter2-very-secret']), text);
        }
    });

    it('names secrets the same way for the command environment and the masker, and keeps the studio\'s public auth settings out', () => {
        for (const name of ['ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GITHUB_TOKEN', 'DB_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'STUDIO_AUTH_TOKEN', 'STUDIO_AUTH_JWT_SECRET', 'NPM_AUTH']) {
            assert.ok(isSecretName(name), name);
        }
        for (const name of ['PATH', 'HOME', 'STUDIO_AUTH_AUDIENCE', 'STUDIO_AUTH_HEADER', 'STUDIO_AUTH', 'LANG']) {
            assert.ok(!isSecretName(name), name);
        }
        assert.deepEqual(secretValuesOf({ OPENAI_API_KEY: 'sk-123456789', PATH: '/usr/bin:/bin', SHORT_TOKEN: 'abc', STUDIO_AUTH_HEADER: 'authorization' }, { MOONSHOT_API_KEY: ' moon-key-value-long ' }),
            ['moon-key-value-long', 'sk-123456789']);
    });

    it('gives processes the environment without its secrets, keeping what a caller set explicitly', () => {
        const backend = { PATH: '/usr/bin', ANTHROPIC_API_KEY: 'sk-ant-x', STUDIO_AUTH_TOKEN: 't', STUDIO_AUTH_HEADER: 'x-user', HOME: '/home/w' };
        assert.deepEqual(withoutSecrets(backend), { PATH: '/usr/bin', STUDIO_AUTH_HEADER: 'x-user', HOME: '/home/w' });
        assert.deepEqual(withoutSecrets({ ...backend, NPM_TOKEN: 'mine' }, { NPM_TOKEN: 'mine' }), { PATH: '/usr/bin', STUDIO_AUTH_HEADER: 'x-user', HOME: '/home/w', NPM_TOKEN: 'mine' });
    });
});
