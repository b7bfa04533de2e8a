import * as fs from 'node:fs';
import { SignJWT } from 'jose';
import type { JwtConfig } from '../policy/jwt-verifier';

/** The fleet's identity to the workspaces' studios (the `sub` of the tokens it makes). */
export const FleetSubject = 'coditect-fleet';
const LifetimeS = 300;

/**
 * A credential each workspace's studio takes as an admin's, for reading the activity in its
 * /health. With a shared secret (HS256) the fleet makes short-lived tokens itself, with the
 * audience, issuer and role claim the studios check; with a key pair or JWKS only the identity
 * provider can sign, so it reads a token the provider issued from `tokenFile` at each use (a
 * sidecar or a mounted Secret keeps it fresh).
 */
export function fleetCredential(config: JwtConfig, tokenFile: string | undefined): () => Promise<string> {
    if (tokenFile) {
        return async () => (await fs.promises.readFile(tokenFile, 'utf8')).trim();
    }
    const key = config.key;
    if (key.kind !== 'secret') {
        throw new Error('The fleet reads the workspaces\' activity as an admin: with a public key or JWKS it cannot sign a token itself, so set FLEET_WORKSPACE_TOKEN_FILE to a file holding an admin token from your identity provider.');
    }
    let current: { token: string; expiresAt: number } | undefined;
    return async () => {
        const now = Math.floor(Date.now() / 1000);
        if (!current || current.expiresAt - now < LifetimeS / 2) {
            let jwt = new SignJWT({ [config.roleClaim]: 'admin', name: 'CODITECT fleet' }).setProtectedHeader({ alg: 'HS256' })
                .setSubject(FleetSubject).setAudience(config.audience).setIssuedAt(now).setExpirationTime(now + LifetimeS);
            if (config.issuer) {
                jwt = jwt.setIssuer(config.issuer);
            }
            current = { token: await jwt.sign(key.secret), expiresAt: now + LifetimeS };
        }
        return current.token;
    };
}
