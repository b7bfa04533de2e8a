import * as crypto from 'node:crypto';
import * as os from 'node:os';
import { inject, injectable } from '@theia/core/shared/inversify';
import { JwtVerifier, looksLikeAgentToken } from '@coditect/workspace-backend';
import { StudioUser } from '../../common/studio-user';
import { AuthConfig } from './auth-config';

export type Verification =
    | { readonly ok: true; readonly user: StudioUser; /** Epoch ms; absent for the local token. */ readonly expiresAt?: number }
    | { readonly ok: false; /** Safe to show: never contains the credential. */ readonly reason: string };

export const AuthConfigValue = Symbol('AuthConfigValue');

export const CredentialVerifier = Symbol('CredentialVerifier');
/** Turns a presented credential (the local token or a JWT) into the person it stands for; agent tokens are `AgentTokenVerifier`'s. */
export interface CredentialVerifier {
    verify(credential: string): Promise<Verification>;
}

@injectable()
export class CredentialVerifierImpl implements CredentialVerifier {

    @inject(AuthConfigValue)
    protected readonly config: AuthConfig;

    protected jwt: JwtVerifier | undefined;

    async verify(credential: string): Promise<Verification> {
        if (!credential) {
            return { ok: false, reason: 'no credential was presented' };
        }
        if (looksLikeAgentToken(credential)) {
            // Never a person's: the local token cannot take this prefix (auth-config.ts), and no JWT starts with it.
            return { ok: false, reason: 'this is an agent token: it is accepted only by the HTTP APIs under /coditect/api/ (as "Authorization: Bearer <token>"), not to sign in to the IDE' };
        }
        if (this.config.mode === 'local') {
            return this.verifyLocal(credential, this.config.token);
        }
        const result = await (this.jwt ??= new JwtVerifier(this.config)).verify(credential);
        return result.ok ? { ok: true, user: result.person, expiresAt: result.expiresAt } : result;
    }

    protected verifyLocal(credential: string, token: string): Verification {
        const given = Buffer.from(credential);
        const expected = Buffer.from(token);
        if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
            return { ok: false, reason: 'the token is not this studio\'s (it changes at every start unless STUDIO_AUTH_TOKEN is set; use the login URL the studio printed)' };
        }
        return { ok: true, user: localUser() };
    }
}

/** The embedded default's one person: the operating system's user; admin unless STUDIO_USER_ROLE=developer. */
export function localUser(): StudioUser {
    const name = os.userInfo().username;
    return { id: `user:${name}`, displayName: name, role: localRole(process.env.STUDIO_USER_ROLE) };
}

function localRole(value: string | undefined): StudioUser['role'] {
    if (value === undefined || value === '' || value === 'admin') {
        return 'admin';
    }
    if (value === 'developer') {
        return 'developer';
    }
    throw new Error(`STUDIO_USER_ROLE must be "admin" or "developer", not "${value}".`);
}
