import { createHash, timingSafeEqual } from 'node:crypto';

/** The environment variable holding the bearer token Prometheus scrapes `/metrics` with (the workspace's and the fleet's). */
export const MetricsTokenVariable = 'STUDIO_METRICS_TOKEN';

/** Shorter tokens are refused at start: a scrape token guards the workspace's activity and spend. */
const MinimumTokenLength = 16;

/**
 * The scrape token from the environment: undefined when unset (then only an admin's credential
 * reads /metrics); throws, saying what to do, when it is set but too short to be a secret.
 */
export function metricsTokenFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
    const token = env[MetricsTokenVariable]?.trim();
    if (!token) {
        return undefined;
    }
    if (token.length < MinimumTokenLength) {
        throw new Error(`${MetricsTokenVariable} has ${token.length} characters; use a random token of at least ${MinimumTokenLength} (for example \`openssl rand -hex 32\`), `
            + 'the same one the Prometheus scrape configuration sends as its bearer token.');
    }
    return token;
}

/**
 * True when an `Authorization` header carries exactly `Bearer <token>`. Compared in constant time
 * over digests, so neither the token's content nor its length leaks through timing.
 */
export function carriesScrapeToken(authorization: string | undefined, token: string | undefined): boolean {
    if (!token || !authorization) {
        return false;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) {
        return false;
    }
    const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
    return timingSafeEqual(digest(match[1]), digest(token));
}
