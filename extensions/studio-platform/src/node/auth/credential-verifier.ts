import * as crypto from 'node:crypto';
import * as os from 'node:os';
import { inject, injectable } from '@theia/core/shared/inversify';
import { createRemoteJWKSet, decodeProtectedHeader, errors, importSPKI, JWTPayload, jwtVerify } from 'jose';
import { looksLikeAgentToken } from '@coditect/workspace-backend';
import { StudioUser } from '../../common/studio-user';
import { AuthConfig, JwtAuthConfig } from './auth-config';

export type Verification =
    | { readonly ok: true; readonly user: StudioUser; /** Epoch ms; absent for the local token. */ readonly expiresAt?: number }
    | { readonly ok: false; /** Safe to show: never contains the credential. */ readonly reason: string };

export const AuthConfigValue = Symbol('AuthConfigValue');

export const CredentialVerifier = Symbol('CredentialVerifier');
/** Turns a presented credential (the local token or a JWT) into the person it stands for; agent tokens are `AgentTokenVerifier`'s. */
export interface CredentialVerifier {
    verify(credential: string): Promise<Verification>;
}

const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CACHE_LIMIT = 1000;

@injectable()
export class CredentialVerifierImpl implements CredentialVerifier {

    @inject(AuthConfigValue)
    protected readonly config: AuthConfig;

    /** Verified JWTs, so each HTTP request does not pay for a signature check; entries die with their token. */
    protected readonly verified = new Map<string, { user: StudioUser; expiresAt?: number }>();
    protected jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

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
        const cached = this.verified.get(credential);
        if (cached && (cached.expiresAt === undefined || cached.expiresAt > Date.now())) {
            return { ok: true, ...cached };
        }
        this.verified.delete(credential);
        const result = await this.verifyJwt(credential, this.config);
        if (result.ok) {
            if (this.verified.size >= CACHE_LIMIT) {
                this.verified.delete(this.verified.keys().next().value!);
            }
            this.verified.set(credential, { user: result.user, expiresAt: result.expiresAt });
        }
        return result;
    }

    protected verifyLocal(credential: string, token: string): Verification {
        const given = Buffer.from(credential);
        const expected = Buffer.from(token);
        if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
            return { ok: false, reason: 'the token is not this studio\'s (it changes at every start unless STUDIO_AUTH_TOKEN is set; use the login URL the studio printed)' };
        }
        return { ok: true, user: localUser() };
    }

    protected async verifyJwt(credential: string, config: JwtAuthConfig): Promise<Verification> {
        try {
            const options = { audience: config.audience, issuer: config.issuer, requiredClaims: ['exp', 'sub'] };
            const { payload } = config.key.kind === 'secret'
                ? await jwtVerify(credential, config.key.secret, { ...options, algorithms: ['HS256', 'HS384', 'HS512'] })
                : config.key.kind === 'public-key'
                    ? await jwtVerify(credential, await importSPKI(config.key.pem, this.asymmetricAlgorithm(credential)), { ...options, algorithms: ASYMMETRIC_ALGORITHMS })
                    : await jwtVerify(credential, this.jwks ??= createRemoteJWKSet(config.key.url), { ...options, algorithms: ASYMMETRIC_ALGORITHMS });
            return { ok: true, user: userOfClaims(payload, config.roleClaim), expiresAt: payload.exp! * 1000 };
        } catch (error) {
            return { ok: false, reason: rejectionReason(error) };
        }
    }

    protected asymmetricAlgorithm(credential: string): string {
        const alg = decodeProtectedHeader(credential).alg;
        if (!alg || !ASYMMETRIC_ALGORITHMS.includes(alg)) {
            throw new errors.JOSEAlgNotAllowed(`the token is signed with ${alg ?? 'no algorithm'}, which the configured public key cannot verify`);
        }
        return alg;
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

function userOfClaims(payload: JWTPayload, roleClaim: string): StudioUser {
    const claim = payload[roleClaim];
    const roles = Array.isArray(claim) ? claim.map(String) : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
    const name = typeof payload.name === 'string' ? payload.name : typeof payload.email === 'string' ? payload.email : payload.sub!;
    return { id: `user:${payload.sub}`, displayName: name, role: roles.includes('admin') ? 'admin' : 'developer' };
}

function rejectionReason(error: unknown): string {
    if (error instanceof errors.JWTExpired) {
        return 'the token has expired; sign in again';
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
        return `the token's "${error.claim}" claim is not accepted (${error.reason === 'check_failed' ? 'wrong value' : error.reason})`;
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
        return 'the token\'s signature does not verify with the configured key';
    }
    if (error instanceof errors.JOSEAlgNotAllowed) {
        return 'the token is signed with an algorithm the studio does not accept';
    }
    if (error instanceof errors.JWKSNoMatchingKey) {
        return 'no key of the configured JWKS matches the token';
    }
    if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) {
        return 'the credential is not a well-formed token';
    }
    return `the token could not be verified (${error instanceof Error ? error.constructor.name : 'error'})`;
}
