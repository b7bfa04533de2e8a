import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { personPrincipal, PolicyAuditSink, PolicyDeniedError, PolicyImpl } from '../policy';
import { MissingApiKeyError, resolveApiKey } from './provider-config';
import { ProviderKeyFile, ProviderKeyFileError, ProviderKeysEncryptionVariable } from './provider-key-file';
import { ProviderKeyInputError, ProviderKeys } from './provider-keys';
import { workspaceSecretValues } from './provider-secrets';

const admin = personPrincipal({ id: 'user:ada', displayName: 'Ada', role: 'admin' });
const developer = personPrincipal({ id: 'user:dev', displayName: 'Dev', role: 'developer' });
const KEY = 'sk-ant-studio-0123456789abcdef';
const claude = { vendor: 'anthropic' as const, model: 'claude-sonnet-4-6', apiKeyVariable: 'ANTHROPIC_API_KEY' };

describe('provider keys set in the studio (providers/provider-keys.ts)', () => {
    let root: string;
    let audit: Parameters<PolicyAuditSink['record']>[0][];
    let opened: ProviderKeys[];

    const keys = (env: NodeJS.ProcessEnv = {}) => {
        const store = new ProviderKeys(ProviderKeyFile.inDataDir(path.join(root, 'data'), env), new PolicyImpl(() => ({ record: entry => audit.push(entry) })), env, () => 1_000);
        opened.push(store);
        return store;
    };

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-keys-'));
        audit = [];
        opened = [];
    });
    afterEach(() => {
        opened.forEach(store => store.dispose());
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('keeps a key in a 0600 file in the data folder, which the providers read before the environment', () => {
        const store = keys();
        const status = store.set(admin, 'ANTHROPIC_API_KEY', `  ${KEY}\n`);
        assert.deepEqual(status, { variable: 'ANTHROPIC_API_KEY', source: 'studio', hint: 'cdef', setAt: 1_000, setBy: 'user:ada', problem: undefined });
        const file = path.join(root, 'data', 'provider-keys.json');
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        assert.equal(resolveApiKey(claude, { ANTHROPIC_API_KEY: 'sk-from-the-environment' }, undefined, file), KEY, 'the latest word wins');
        assert.equal(resolveApiKey(claude, { ANTHROPIC_API_KEY: 'sk-from-the-environment' }, undefined, undefined), 'sk-from-the-environment');
        // Removing it lets the environment's apply again.
        assert.equal(keys({ ANTHROPIC_API_KEY: 'sk-from-the-environment' }).remove(admin, 'ANTHROPIC_API_KEY').source, 'environment');
        assert.throws(() => resolveApiKey(claude, {}, undefined, file), MissingApiKeyError);
    });

    it('never gives a key back: statuses say where it is from, and only admins see its last four characters', () => {
        const store = keys({ GEMINI_API_KEY: 'AIzaFromTheEnvironment1234' });
        store.set(admin, 'ANTHROPIC_API_KEY', KEY);
        const forAdmin = store.status(admin, ['GEMINI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY']);
        assert.deepEqual(forAdmin.map(s => [s.variable, s.source, s.hint]), [
            ['ANTHROPIC_API_KEY', 'studio', 'cdef'], ['GEMINI_API_KEY', 'environment', '1234'], ['OPENAI_API_KEY', undefined, undefined],
        ]);
        const forDeveloper = store.status(developer, ['ANTHROPIC_API_KEY']);
        assert.equal(forDeveloper[0].source, 'studio');
        assert.equal(forDeveloper[0].hint, undefined);
        assert.ok(!JSON.stringify([forAdmin, forDeveloper]).includes(KEY.slice(0, 12)));
    });

    it('lets only admins set or remove keys, and audits both outcomes without the value', () => {
        const store = keys();
        assert.throws(() => store.set(developer, 'ANTHROPIC_API_KEY', KEY), PolicyDeniedError);
        assert.equal(fs.existsSync(path.join(root, 'data', 'provider-keys.json')), false, 'nothing written for a refusal');
        store.set(admin, 'ANTHROPIC_API_KEY', KEY);
        assert.throws(() => store.remove(developer, 'ANTHROPIC_API_KEY'), PolicyDeniedError);
        assert.deepEqual(audit.map(e => [e.userId, e.action, e.target, e.outcome]), [
            ['user:dev', 'provider-key.manage', 'ANTHROPIC_API_KEY', 'refused'],
            ['user:ada', 'provider-key.manage', 'ANTHROPIC_API_KEY', 'allowed'],
            ['user:dev', 'provider-key.manage', 'ANTHROPIC_API_KEY', 'refused'],
        ]);
        assert.ok(!JSON.stringify(audit).includes(KEY));
    });

    it('refuses malformed variables and keys with a message that says what to do and never echoes the key', () => {
        const store = keys();
        assert.throws(() => store.set(admin, 'anthropic', KEY), (e: Error) => e instanceof ProviderKeyInputError && /such as ANTHROPIC_API_KEY/.test(e.message));
        assert.throws(() => store.set(admin, 'HOME', KEY), /must say KEY, TOKEN or SECRET/);
        assert.throws(() => store.set(admin, 'ANTHROPIC_API_KEY', '   '), /is empty; paste the key/);
        assert.throws(() => store.set(admin, 'ANTHROPIC_API_KEY', 'short'), /5 characters long/);
        const withSpace = 'sk-ant with-a-space-inside-it';
        assert.throws(() => store.set(admin, 'ANTHROPIC_API_KEY', withSpace), (e: Error) => /contains spaces/.test(e.message) && !e.message.includes(withSpace));
        assert.throws(() => store.set(admin, 'ANTHROPIC_API_KEY', 7 as unknown as string), /is empty/);
        assert.deepEqual(audit, [], 'input is checked before the policy is asked');
    });

    it('tells the agents at once, after the file is written, and masks the key from then on', () => {
        const store = keys();
        const heard: string[] = [];
        store.onDidChange(change => heard.push(`${change.variable}:${resolveApiKey({ ...claude, apiKeyVariable: change.variable }, {}, undefined, store.file.file)}`));
        assert.ok(!workspaceSecretValues({}).includes(KEY));
        store.set(admin, 'ANTHROPIC_API_KEY', KEY);
        assert.deepEqual(heard, [`ANTHROPIC_API_KEY:${KEY}`]);
        assert.ok(workspaceSecretValues({}).includes(KEY), 'masked wherever the workspace secrets are');
        store.dispose();
        assert.ok(!workspaceSecretValues({}).includes(KEY), 'a stopped core masks nothing of its own');
    });

    it('encrypts the file when STUDIO_KEYS_ENCRYPTION_KEY is set, and says what to do without it or with the wrong one', () => {
        const env = { [ProviderKeysEncryptionVariable]: 'correct horse battery staple' };
        keys(env).set(admin, 'ANTHROPIC_API_KEY', KEY);
        const file = path.join(root, 'data', 'provider-keys.json');
        const text = fs.readFileSync(file, 'utf8');
        assert.ok(!text.includes(KEY) && !text.includes('ANTHROPIC_API_KEY'), 'neither the key nor its variable is readable in the file');
        assert.equal(resolveApiKey(claude, env, undefined, file), KEY);

        assert.throws(() => new ProviderKeyFile(file, {}).read(), (e: Error) => e instanceof ProviderKeyFileError && /encrypted and STUDIO_KEYS_ENCRYPTION_KEY is not set/.test(e.message));
        assert.throws(() => new ProviderKeyFile(file, { [ProviderKeysEncryptionVariable]: 'wrong' }).read(), /is not the key they were saved with/);
        // A provider falls back to the environment, and says why the studio's keys were passed over.
        assert.equal(resolveApiKey(claude, { ANTHROPIC_API_KEY: 'sk-from-the-environment' }, undefined, file), 'sk-from-the-environment');
        assert.throws(() => resolveApiKey(claude, {}, undefined, file), (e: Error) => e instanceof MissingApiKeyError && /not usable: .*encrypted/.test(e.message));
        // Nothing overwrites keys that could still be recovered with the right encryption key.
        assert.throws(() => keys({}).set(admin, 'GEMINI_API_KEY', 'AIza0123456789abcdef'), /Nothing was changed/);
        assert.equal(fs.readFileSync(file, 'utf8'), text);
    });

    it('reports a corrupted file and leaves it for the admin, and a failed write keeps the keys kept before', () => {
        const store = keys();
        store.set(admin, 'ANTHROPIC_API_KEY', KEY);
        const file = store.file.file;
        fs.writeFileSync(file, '{"version":1,"keys":{"ANTHROPIC_API_KEY":{"value":');
        assert.match(store.status(admin, ['ANTHROPIC_API_KEY'])[0].problem!, /is corrupted \(it is not JSON\); delete it and add the keys again/);
        assert.throws(() => store.set(admin, 'ANTHROPIC_API_KEY', KEY), /corrupted.*Nothing was changed/);

        // A data folder that cannot take the file (here: a regular file where the folder should be).
        const blocked = new ProviderKeys(new ProviderKeyFile(path.join(root, 'not-a-folder', 'provider-keys.json')), new PolicyImpl());
        opened.push(blocked);
        fs.writeFileSync(path.join(root, 'not-a-folder'), 'x');
        assert.throws(() => blocked.set(admin, 'ANTHROPIC_API_KEY', KEY), (e: Error) => e instanceof ProviderKeyFileError
            && /could not save the provider keys .*\((EEXIST|ENOTDIR)\); the keys kept before are unchanged/.test(e.message) && !e.message.includes(KEY));
    });
});
