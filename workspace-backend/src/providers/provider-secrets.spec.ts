import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { workspaceSecretValues } from './provider-secrets';

describe('workspaceSecretValues', () => {
    it('holds the environment\'s secrets and the secrets file\'s, and rereads the file when it changes', () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-secrets-'));
        try {
            const file = path.join(dir, 'keys.env');
            fs.writeFileSync(file, 'ANTHROPIC_API_KEY=from-the-file-0001\nPLAIN_SETTING=visible-value-0001\n');
            const env = { STUDIO_SECRETS_FILE: file, GEMINI_API_KEY: 'from-the-env-0001', HOME: '/home/someone' };
            const values = workspaceSecretValues(env);
            assert.ok(values.includes('from-the-file-0001') && values.includes('from-the-env-0001'), JSON.stringify(values));
            assert.ok(!values.includes('visible-value-0001') && !values.includes('/home/someone'));
            assert.ok(values.includes(file), 'the secrets file\'s own path is secret-named too');

            fs.writeFileSync(file, '{"OPENAI_API_KEY": "rotated-key-0002"}');
            fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
            assert.ok(workspaceSecretValues(env).includes('rotated-key-0002'));
            assert.ok(!workspaceSecretValues(env).includes('from-the-file-0001'));
            assert.deepEqual(workspaceSecretValues({ STUDIO_SECRETS_FILE: path.join(dir, 'missing') }).filter(v => v.includes('key')), []);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
