/**
 * A whole-number setting from the environment: `fallback` when unset or blank; anything else than
 * a whole number of at least `min` is refused, naming the variable, what it held and what it takes.
 */
export function envInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
    const raw = env[name]?.trim();
    if (!raw) {
        return fallback;
    }
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min) {
        throw new Error(`${name}="${raw}" must be a whole number of at least ${min}.`);
    }
    return value;
}
