import * as assert from 'node:assert/strict';
import { generateKeyPair, exportSPKI, SignJWT } from 'jose';
import { JwtConfigError, JwtVerifier, resolveJwtConfig } from './jwt-verifier';

const secret = 'a-shared-secret-of-at-least-32-characters';
const now = () => Math.floor(Date.now() / 1000);

function token(claims: Record<string, unknown>, options: { audience?: string; expiresIn?: number; key?: Uint8Array } = {}): Promise<string> {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setAudience(options.audience ?? 'coditect-studio').setIssuedAt();
    if (options.expiresIn !== 0) {
        jwt.setExpirationTime(now() + (options.expiresIn ?? 600));
    }
    return jwt.sign(options.key ?? new TextEncoder().encode(secret));
}

describe('JwtVerifier: the identity provider\'s tokens, as the studio and the fleet accept them', () => {
    const verifier = new JwtVerifier(resolveJwtConfig({ STUDIO_AUTH_JWT_SECRET: secret, STUDIO_AUTH_AUDIENCE: 'coditect-studio', STUDIO_AUTH_ROLE_CLAIM: 'roles' }));

    it('turns a valid token into its person: id from sub, name from name or email, admin only when the role claim says so', async () => {
        const admin = await verifier.verify(await token({ sub: 'ada', name: 'Ada Lovelace', roles: ['developer', 'admin'] }));
        assert.deepEqual(admin.ok && admin.person, { id: 'user:ada', displayName: 'Ada Lovelace', role: 'admin' });
        assert.ok(admin.ok && admin.expiresAt > Date.now());
        const developer = await verifier.verify(await token({ sub: 'bob', email: 'bob@example.com', roles: 'developer' }));
        assert.deepEqual(developer.ok && developer.person, { id: 'user:bob', displayName: 'bob@example.com', role: 'developer' });
    });

    it('says why a token is refused, never repeating the token', async () => {
        const cases: [Promise<string>, RegExp][] = [
            [token({ sub: 'ada' }, { expiresIn: -60 }), /^the token has expired; sign in again$/],
            [token({ sub: 'ada' }, { audience: 'someone-else' }), /"aud" claim is not accepted/],
            [token({ sub: 'ada' }, { expiresIn: 0 }), /"exp" claim is not accepted/],
            [token({ sub: 'ada' }, { key: new TextEncoder().encode('another-secret-of-at-least-32-characters') }), /signature does not verify/],
            [Promise.resolve('not.a.token'), /not a well-formed token/],
        ];
        for (const [given, reason] of cases) {
            const presented = await given;
            const result = await verifier.verify(presented);
            assert.equal(result.ok, false);
            assert.match(!result.ok ? result.reason : '', reason);
            assert.ok(!result.ok && !result.reason.includes(presented));
        }
    });

    it('verifies with a PEM public key, refusing a token signed with a shared secret', async () => {
        const { publicKey, privateKey } = await generateKeyPair('ES256');
        const pem = await exportSPKI(publicKey);
        const keyed = new JwtVerifier({ key: { kind: 'public-key', pem }, audience: 'coditect-studio', header: 'authorization', roleClaim: 'role' });
        const signed = await new SignJWT({ sub: 'eve', role: 'admin' }).setProtectedHeader({ alg: 'ES256' }).setAudience('coditect-studio').setExpirationTime(now() + 60).sign(privateKey);
        const result = await keyed.verify(signed);
        assert.deepEqual(result.ok && result.person, { id: 'user:eve', displayName: 'eve', role: 'admin' });
        const hs = await keyed.verify(await token({ sub: 'eve' }));
        assert.match(!hs.ok ? hs.reason : '', /algorithm the studio does not accept/);
    });

    it('refuses a configuration it cannot verify with, naming the variable', () => {
        assert.throws(() => resolveJwtConfig({ STUDIO_AUTH_JWT_SECRET: secret }), (e: Error) => e instanceof JwtConfigError && /STUDIO_AUTH_AUDIENCE is required/.test(e.message));
        assert.throws(() => resolveJwtConfig({ STUDIO_AUTH_AUDIENCE: 'a' }), /needs exactly one key/);
        assert.throws(() => resolveJwtConfig({ STUDIO_AUTH_AUDIENCE: 'a', STUDIO_AUTH_JWT_SECRET: 'short' }), /at least 32 characters/);
        assert.throws(() => resolveJwtConfig({ STUDIO_AUTH_AUDIENCE: 'a', STUDIO_AUTH_JWT_SECRET: secret, STUDIO_AUTH_JWKS_URL: 'https://x/jwks' }), /Set only one JWT key/);
        assert.throws(() => resolveJwtConfig({ STUDIO_AUTH_AUDIENCE: 'a', STUDIO_AUTH_JWKS_URL: 'not a url' }), /STUDIO_AUTH_JWKS_URL is not a URL/);
    });
});
