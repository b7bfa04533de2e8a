import * as assert from 'node:assert/strict';
import { describeRegistryFailure, failureCode } from './registry-failure';

/** Node's fetch's own shape: TypeError('fetch failed') with the system error as its cause. */
function fetchFailed(cause: object): Error {
    return new TypeError('fetch failed', { cause });
}

describe('describeRegistryFailure', () => {
    it('names the registry, the host that does not resolve, what still works and the setting to change', () => {
        const message = describeRegistryFailure(fetchFailed({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND open-vsx.org' }), 'https://open-vsx.org');
        assert.equal(message, 'Open VSX cannot be reached at https://open-vsx.org: open-vsx.org does not resolve (no network or no DNS). '
            + 'Installed extensions and "Install from VSIX…" still work. For another registry, set coditect.extensions.registryUrl in the settings '
            + '(or VSX_REGISTRY_URL on the studio).');
    });

    it('finds the code in an AggregateError (both address families refused)', () => {
        const both = new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:3000'), { code: 'ECONNREFUSED' })], '');
        assert.equal(failureCode(fetchFailed(both)), 'ECONNREFUSED');
        assert.match(describeRegistryFailure(fetchFailed(both), 'http://vsx.internal:3000'), /^Open VSX cannot be reached at http:\/\/vsx\.internal:3000: vsx\.internal refused the connection/);
    });

    it('says a timeout and an untrusted certificate apart', () => {
        assert.match(describeRegistryFailure(fetchFailed({ code: 'UND_ERR_CONNECT_TIMEOUT' }), 'https://open-vsx.org'), /timed out/);
        assert.match(describeRegistryFailure(fetchFailed({ code: 'SELF_SIGNED_CERT_IN_CHAIN' }), 'https://vsx.corp'), /TLS certificate is not trusted \(SELF_SIGNED_CERT_IN_CHAIN\)/);
    });

    it('reports an answer it could not use (a proxy\'s HTML page) as such, with its message, not as unreachable', () => {
        const message = describeRegistryFailure(new SyntaxError('Unexpected token \'<\', "<html>" is not valid JSON'), 'https://open-vsx.org');
        assert.match(message, /^Open VSX at https:\/\/open-vsx\.org gave no usable answer: Unexpected token/);
        assert.doesNotMatch(message, /cannot be reached/);
    });
});
