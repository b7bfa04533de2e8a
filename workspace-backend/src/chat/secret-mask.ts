/** Environment variables whose values are secrets by their name (API keys, tokens, passwords). */
const secretName = /(API_KEY|_KEY$|TOKEN|SECRET|PASSWORD)/i;

/**
 * The secret values of `env` the chat masks (with providers' `maskSecrets`, which also masks
 * anything shaped like a vendor key): only values long enough that masking them cannot mangle
 * ordinary words.
 */
export function secretValuesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
    return Object.entries(env)
        .filter(([name, value]) => secretName.test(name) && typeof value === 'string' && value.trim().length >= 8)
        .map(([, value]) => value!.trim())
        // Longest first, so a key that contains another is masked whole.
        .sort((a, b) => b.length - a.length);
}
