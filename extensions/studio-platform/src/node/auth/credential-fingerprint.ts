import * as crypto from 'node:crypto';
import { AuthConfig } from './auth-config';

/**
 * What a browser session was made under: one value derived from everything that decides whom a
 * credential stands for (the local token and the local user's role; or the JWT key, audience,
 * issuer and role claim). A restart with another STUDIO_AUTH_TOKEN or JWT key yields another
 * fingerprint, and every session made under the old one is revoked.
 *
 * Invariant: it reveals nothing usable about the token or key. It is stored beside the sessions
 * (`workspace.db`, readable in the SQL console and in the replica), so it is an scrypt derivation
 * (costly to test guesses against, unlike a bare hash of a short STUDIO_AUTH_TOKEN), computed once.
 */
export function credentialFingerprint(config: AuthConfig, localRole = process.env.STUDIO_USER_ROLE || 'admin'): string {
    const material = config.mode === 'local'
        ? ['local', config.token, localRole]
        : ['jwt', keyMaterial(config.key), config.audience, config.issuer ?? '', config.roleClaim];
    return crypto.scryptSync(JSON.stringify(material), 'coditect-studio/web-session-fingerprint/v1', 32).toString('base64url');
}

function keyMaterial(key: Extract<AuthConfig, { mode: 'jwt' }>['key']): string {
    switch (key.kind) {
        case 'secret': return `secret:${Buffer.from(key.secret).toString('base64')}`;
        case 'public-key': return `public-key:${key.pem.trim()}`;
        case 'jwks': return `jwks:${key.url.href}`;
    }
}
