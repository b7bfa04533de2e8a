/**
 * The one secret detector and masker: what counts as a secret by its name (environment variables
 * and secrets-file entries: provider keys, tokens, passwords, credentials), and how text is
 * masked before it reaches a log, the timeline, the chat or a model. The agents' command
 * environment drops exactly the variables `isSecretName` names.
 */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i;

/** The studio's own settings whose names look secret but whose values are not (masking them would mangle ordinary words). */
const PUBLIC_SETTINGS: ReadonlySet<string> = new Set([
    'STUDIO_AUTH', 'STUDIO_AUTH_HEADER', 'STUDIO_AUTH_AUDIENCE', 'STUDIO_AUTH_ISSUER', 'STUDIO_AUTH_ROLE_CLAIM', 'STUDIO_AUTH_JWKS_URL',
    'STUDIO_AUTH_JWT_PUBLIC_KEY_FILE',
]);

export function isSecretName(name: string): boolean {
    return SECRET_NAME.test(name) && !PUBLIC_SETTINGS.has(name);
}

/**
 * `env` without its secret-named variables: what the processes people and extensions start (agents'
 * commands, terminals, tasks, the plugin host) inherit from the backend, so that `env` in one of them
 * never shows a vendor's key or the studio's own credentials. A variable `given` sets explicitly (a
 * task's configured environment, a terminal opened with one) is the caller's to pass and is kept.
 */
export function withoutSecrets<V>(env: Readonly<Record<string, V>>, given: Readonly<Record<string, unknown>> = {}): Record<string, V> {
    const clean: Record<string, V> = {};
    for (const [name, value] of Object.entries(env)) {
        if (!isSecretName(name) || Object.prototype.hasOwnProperty.call(given, name)) {
            clean[name] = value;
        }
    }
    return clean;
}

/** Values shorter than this are never masked by value: too likely to be ordinary words. */
const MIN_SECRET_LENGTH = 8;

/**
 * The secret values among `sources` (the environment, a secrets file), longest first so a
 * secret that contains another is masked whole.
 */
export function secretValuesOf(...sources: readonly Readonly<Record<string, string | undefined>>[]): string[] {
    const values = new Set<string>();
    for (const source of sources) {
        for (const [name, value] of Object.entries(source)) {
            const trimmed = value?.trim();
            if (trimmed && trimmed.length >= MIN_SECRET_LENGTH && isSecretName(name)) {
                values.add(trimmed);
            }
        }
    }
    return [...values].sort((a, b) => b.length - a.length);
}

// Shapes of vendor keys and bearer material; anything matching is masked even when we do not know the key.
const keyLikePatterns: readonly RegExp[] = [
    /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI, Anthropic (sk-ant-...), Moonshot
    /\bAIza[0-9A-Za-z_-]{20,}/g, // Google API keys
    /\bcdt_[A-Za-z0-9_-]{16,}/g, // the studio's own agent tokens (tokens/agent-token.ts)
    /\b((?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
    /([?&](?:key|api_key|apikey|access_token)=)[^&\s"']+/gi,
    /("?(?:x-api-key|x-goog-api-key|authorization|api[_-]?key)"?\s*[:=]\s*"?)[^"\s,}]{8,}/gi,
];

/**
 * Whether `text` could hold anything `maskSecrets` masks by shape (a key prefix, a credential
 * word): one cheap test for hot paths, where most strings (model text, paths, numbers) hold neither.
 */
const KeyShapeHint = /sk-|AIza|cdt_|bearer|basic|key|token|auth/i;

/** Replaces the given secrets and anything key-like with `***`. Secrets shorter than 4 characters are ignored (too likely to match ordinary text). */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
    if (!KeyShapeHint.test(text) && !secrets.some(secret => secret.length >= 4 && text.includes(secret))) {
        return text;
    }
    let masked = text;
    for (const secret of secrets) {
        if (secret.length >= 4) {
            masked = masked.split(secret).join('***');
        }
    }
    for (const pattern of keyLikePatterns) {
        // Patterns with a capture group keep it (the header or parameter name) and mask what follows.
        masked = masked.replace(pattern, (_match: string, prefix?: unknown) => `${typeof prefix === 'string' ? prefix : ''}***`);
    }
    return masked;
}
