import * as fs from 'node:fs';
import { createRemoteJWKSet, decodeProtectedHeader, errors, importSPKI, JWTPayload, jwtVerify } from 'jose';
import type { Role } from './principal';

/**
 * The identity provider's signed tokens (JWT), as the studio and the fleet service both accept
 * them: one key (a shared secret, a PEM public key or a JWKS URL), an audience, an issuer, and
 * the claim that says `admin` or `developer`. Framework-free, so every entry point of the
 * platform verifies a token the same way.
 */
export interface JwtConfig {
    readonly key: { readonly kind: 'secret'; readonly secret: Uint8Array } | { readonly kind: 'public-key'; readonly pem: string } | { readonly kind: 'jwks'; readonly url: URL };
    readonly audience: string;
    readonly issuer?: string;
    /** The request header a gateway puts the token in (lower case); `authorization` expects `Bearer <token>`. */
    readonly header: string;
    /** The claim holding `developer` or `admin` (a string or an array of roles). */
    readonly roleClaim: string;
}

/** Thrown for a configuration a service must not start with; the message says which variable to fix. */
export class JwtConfigError extends Error { }

/** Whether the environment configures a JWT key (any of the three variables). */
export function jwtKeyConfigured(env: NodeJS.ProcessEnv): boolean {
    return !!(env.STUDIO_AUTH_JWT_SECRET || env.STUDIO_AUTH_JWT_PUBLIC_KEY_FILE || env.STUDIO_AUTH_JWKS_URL);
}

/** Reads STUDIO_AUTH_JWT_SECRET | _PUBLIC_KEY_FILE | STUDIO_AUTH_JWKS_URL, STUDIO_AUTH_AUDIENCE, _ISSUER, _HEADER, _ROLE_CLAIM (README "Security"). */
export function resolveJwtConfig(env: NodeJS.ProcessEnv = process.env): JwtConfig {
    const audience = env.STUDIO_AUTH_AUDIENCE;
    if (!audience) {
        throw new JwtConfigError('STUDIO_AUTH_AUDIENCE is required with JWT authentication: the audience (aud) your identity provider puts in the studio\'s tokens.');
    }
    return {
        audience,
        key: jwtKey(env),
        issuer: env.STUDIO_AUTH_ISSUER || undefined,
        header: (env.STUDIO_AUTH_HEADER || 'authorization').toLowerCase(),
        roleClaim: env.STUDIO_AUTH_ROLE_CLAIM || 'role',
    };
}

function jwtKey(env: NodeJS.ProcessEnv): JwtConfig['key'] {
    const given = [env.STUDIO_AUTH_JWT_SECRET && 'STUDIO_AUTH_JWT_SECRET', env.STUDIO_AUTH_JWT_PUBLIC_KEY_FILE && 'STUDIO_AUTH_JWT_PUBLIC_KEY_FILE', env.STUDIO_AUTH_JWKS_URL && 'STUDIO_AUTH_JWKS_URL'].filter(Boolean);
    if (given.length !== 1) {
        throw new JwtConfigError(given.length === 0
            ? 'STUDIO_AUTH=jwt needs exactly one key: STUDIO_AUTH_JWT_SECRET (HS256), STUDIO_AUTH_JWT_PUBLIC_KEY_FILE (PEM, RS/ES/EdDSA) or STUDIO_AUTH_JWKS_URL.'
            : `Set only one JWT key, not ${given.join(' and ')}.`);
    }
    if (env.STUDIO_AUTH_JWT_SECRET) {
        if (env.STUDIO_AUTH_JWT_SECRET.length < 32) {
            throw new JwtConfigError('STUDIO_AUTH_JWT_SECRET must be at least 32 characters (256 bits) for HS256.');
        }
        return { kind: 'secret', secret: new TextEncoder().encode(env.STUDIO_AUTH_JWT_SECRET) };
    }
    if (env.STUDIO_AUTH_JWT_PUBLIC_KEY_FILE) {
        try {
            return { kind: 'public-key', pem: fs.readFileSync(env.STUDIO_AUTH_JWT_PUBLIC_KEY_FILE, 'utf8') };
        } catch (error) {
            throw new JwtConfigError(`STUDIO_AUTH_JWT_PUBLIC_KEY_FILE cannot be read (${(error as Error).message}).`);
        }
    }
    try {
        return { kind: 'jwks', url: new URL(env.STUDIO_AUTH_JWKS_URL!) };
    } catch {
        throw new JwtConfigError(`STUDIO_AUTH_JWKS_URL is not a URL: "${env.STUDIO_AUTH_JWKS_URL}".`);
    }
}

/** The person a verified token stands for. */
export interface JwtPerson {
    /** `user:<sub>`. */
    readonly id: string;
    readonly displayName: string;
    readonly role: Role;
}

export type JwtVerification =
    | { readonly ok: true; readonly person: JwtPerson; /** Epoch ms. */ readonly expiresAt: number }
    | { readonly ok: false; /** Safe to show: never contains the token. */ readonly reason: string };

const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CACHE_LIMIT = 1000;

/**
 * Verifies tokens against a `JwtConfig`. Verified tokens are remembered until they expire (at
 * most `CACHE_LIMIT`, oldest dropped first), so a request does not pay for a signature check
 * each time; `exp` and `sub` are required.
 */
export class JwtVerifier {
    protected readonly verified = new Map<string, { person: JwtPerson; expiresAt: number }>();
    protected jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

    constructor(readonly config: JwtConfig) { }

    async verify(token: string): Promise<JwtVerification> {
        const cached = this.verified.get(token);
        if (cached && cached.expiresAt > Date.now()) {
            return { ok: true, ...cached };
        }
        this.verified.delete(token);
        const result = await this.verifyNow(token);
        if (result.ok) {
            if (this.verified.size >= CACHE_LIMIT) {
                this.verified.delete(this.verified.keys().next().value!);
            }
            this.verified.set(token, { person: result.person, expiresAt: result.expiresAt });
        }
        return result;
    }

    protected async verifyNow(token: string): Promise<JwtVerification> {
        const config = this.config;
        try {
            const options = { audience: config.audience, issuer: config.issuer, requiredClaims: ['exp', 'sub'] };
            const { payload } = config.key.kind === 'secret'
                ? await jwtVerify(token, config.key.secret, { ...options, algorithms: ['HS256', 'HS384', 'HS512'] })
                : config.key.kind === 'public-key'
                    ? await jwtVerify(token, await importSPKI(config.key.pem, this.asymmetricAlgorithm(token)), { ...options, algorithms: ASYMMETRIC_ALGORITHMS })
                    : await jwtVerify(token, this.jwks ??= createRemoteJWKSet(config.key.url), { ...options, algorithms: ASYMMETRIC_ALGORITHMS });
            return { ok: true, person: personOfClaims(payload, config.roleClaim), expiresAt: payload.exp! * 1000 };
        } catch (error) {
            return { ok: false, reason: rejectionReason(error) };
        }
    }

    protected asymmetricAlgorithm(token: string): string {
        const alg = decodeProtectedHeader(token).alg;
        if (!alg || !ASYMMETRIC_ALGORITHMS.includes(alg)) {
            throw new errors.JOSEAlgNotAllowed(`the token is signed with ${alg ?? 'no algorithm'}, which the configured public key cannot verify`);
        }
        return alg;
    }
}

function personOfClaims(payload: JWTPayload, roleClaim: string): JwtPerson {
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
