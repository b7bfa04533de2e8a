import * as crypto from 'node:crypto';
import { AGENT_TOKEN_PREFIX, JwtConfig, JwtConfigError, jwtKeyConfigured, metricsTokenFromEnv, resolveJwtConfig } from '@coditect/workspace-backend';

/**
 * How the studio knows who is calling. `local`: one random token (the embedded default, for a
 * studio on the loopback interface); `jwt`: signed tokens from the deployment's identity provider.
 */
export type AuthConfig = LocalAuthConfig | JwtAuthConfig;

interface CommonAuthConfig {
    /** Origins (scheme://host[:port]) allowed to open the websocket; empty = same origin as the request's Host. */
    readonly allowedOrigins: readonly string[];
    /** Failed logins allowed per client address within `loginWindowS` before it is throttled. */
    readonly loginAttempts: number;
    readonly loginWindowS: number;
    /** Tasks (chat messages included) one user may submit per minute. */
    readonly tasksPerMinute: number;
    /** A browser session's absolute lifetime from sign-in, in ms (never past the signing-in token's own expiry). */
    readonly sessionMaxMs: number;
    /** A browser session unused this long (ms) has ended. */
    readonly sessionIdleMs: number;
    /** The bearer token Prometheus scrapes /metrics with (STUDIO_METRICS_TOKEN); without it only an admin's credential reads them. */
    readonly metricsToken?: string;
}

export interface LocalAuthConfig extends CommonAuthConfig {
    readonly mode: 'local';
    readonly token: string;
    /** True when the token was generated at start (so the login URL must be printed for anyone to get in). */
    readonly generated: boolean;
}

/** The identity provider's tokens, verified as every service of the platform verifies them (workspace-backend's `JwtVerifier`). */
export interface JwtAuthConfig extends CommonAuthConfig, JwtConfig {
    readonly mode: 'jwt';
}

/** Thrown for a configuration the studio must not start with; the message says which variable to fix. */
export class AuthConfigError extends Error { }

/** Reads STUDIO_AUTH* from the environment (README "Security" documents every variable). */
export function resolveAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
    const common: CommonAuthConfig = {
        allowedOrigins: list(env.STUDIO_ALLOWED_ORIGINS).map(origin => normaliseOrigin(origin)),
        loginAttempts: positiveInt(env, 'STUDIO_LOGIN_ATTEMPTS', 10),
        loginWindowS: positiveInt(env, 'STUDIO_LOGIN_WINDOW_S', 300),
        tasksPerMinute: positiveInt(env, 'STUDIO_TASKS_PER_MINUTE', 60),
        sessionMaxMs: positiveHours(env, 'STUDIO_SESSION_MAX_HOURS', 24),
        sessionIdleMs: positiveHours(env, 'STUDIO_SESSION_IDLE_HOURS', 8),
        ...scrapeToken(env),
    };
    const jwtConfigured = jwtKeyConfigured(env);
    const mode = env.STUDIO_AUTH || (jwtConfigured ? 'jwt' : 'local');
    if (mode === 'local') {
        if (jwtConfigured) {
            throw new AuthConfigError('STUDIO_AUTH=local but a JWT key is configured (STUDIO_AUTH_JWT_*/STUDIO_AUTH_JWKS_URL): set STUDIO_AUTH=jwt or remove the key.');
        }
        const given = env.STUDIO_AUTH_TOKEN || undefined;
        if (given !== undefined && given.length < 16) {
            throw new AuthConfigError('STUDIO_AUTH_TOKEN must be at least 16 characters; leave it unset to have a random one generated.');
        }
        if (given?.startsWith(AGENT_TOKEN_PREFIX)) {
            throw new AuthConfigError(`STUDIO_AUTH_TOKEN must not start with "${AGENT_TOKEN_PREFIX}": that prefix marks agent tokens, which are not accepted as a person's sign-in.`);
        }
        return { ...common, mode, token: given ?? randomLocalToken(), generated: given === undefined };
    }
    if (mode !== 'jwt') {
        throw new AuthConfigError(`STUDIO_AUTH must be "local" or "jwt", not "${mode}".`);
    }
    try {
        return { ...common, mode, ...resolveJwtConfig(env) };
    } catch (error) {
        throw error instanceof JwtConfigError ? new AuthConfigError(error.message) : error;
    }
}

function list(value: string | undefined): string[] {
    return (value ?? '').split(',').map(s => s.trim()).filter(s => s.length > 0);
}

function normaliseOrigin(origin: string): string {
    try {
        return new URL(origin).origin;
    } catch {
        throw new AuthConfigError(`STUDIO_ALLOWED_ORIGINS has "${origin}", which is not an origin like https://coditect.ai.`);
    }
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
    const value = env[name];
    if (value === undefined || value === '') {
        return fallback;
    }
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) {
        throw new AuthConfigError(`${name} must be a positive whole number, not "${value}".`);
    }
    return n;
}

/** Hours as milliseconds; fractions are allowed (0.5 = 30 min), at least one second, at most a year. */
function positiveHours(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
    const value = env[name];
    if (value === undefined || value === '') {
        return fallback * 3_600_000;
    }
    const hours = Number(value);
    if (!Number.isFinite(hours) || hours * 3_600_000 < 1000 || hours > 8760) {
        throw new AuthConfigError(`${name} must be a number of hours between 0.0003 (one second) and 8760 (a year), not "${value}".`);
    }
    return Math.round(hours * 3_600_000);
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
    const h = host.replace(/^\[|\]$/g, '').toLowerCase();
    return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

/** A random local token; never one that looks like an agent token (the front door tells them apart by the prefix). */
function randomLocalToken(): string {
    let token: string;
    do {
        token = crypto.randomBytes(24).toString('base64url');
    } while (token.startsWith(AGENT_TOKEN_PREFIX));
    return token;
}

function scrapeToken(env: NodeJS.ProcessEnv): { metricsToken?: string } {
    try {
        const metricsToken = metricsTokenFromEnv(env);
        return metricsToken ? { metricsToken } : {};
    } catch (error) {
        throw new AuthConfigError((error as Error).message);
    }
}
