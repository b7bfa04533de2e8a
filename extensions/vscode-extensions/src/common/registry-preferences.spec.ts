import * as assert from 'node:assert/strict';
import { chooseRegistryUrl, DefaultRegistryUrl } from './registry-preferences';

describe('chooseRegistryUrl', () => {
    it('takes the setting first, then VSX_REGISTRY_URL, then Open VSX', () => {
        assert.deepEqual(chooseRegistryUrl('https://vsx.corp/', 'https://mirror.example'), { url: 'https://vsx.corp' });
        assert.deepEqual(chooseRegistryUrl('  ', 'https://mirror.example '), { url: 'https://mirror.example' });
        assert.deepEqual(chooseRegistryUrl(undefined, undefined), { url: DefaultRegistryUrl });
    });

    it('passes over a setting that is not an http(s) address, saying why and what is used instead', () => {
        for (const bad of ['ftp://vsx.corp', 'vsx.corp', 'javascript:alert(1)']) {
            const chosen = chooseRegistryUrl(bad, undefined);
            assert.equal(chosen.url, DefaultRegistryUrl, bad);
            assert.match(chosen.ignored ?? '', new RegExp(`coditect.extensions.registryUrl is "${bad.replace(/[.()]/g, '\\$&')}", not an http:// or https:// address; using https://open-vsx.org instead`));
        }
    });
});
