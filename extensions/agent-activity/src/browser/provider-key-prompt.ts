import type { ProviderKeyStatus } from '../common/provider-key-protocol';

export const ProviderKeyPrompt = Symbol('ProviderKeyPrompt');
/** Asks an admin for a provider key; undefined when they cancel. The key is never shown, before or after. */
export interface ProviderKeyPrompt {
    ask(request: { readonly variable: string; readonly usedBy: readonly string[]; readonly status: ProviderKeyStatus | undefined }): Promise<string | undefined>;
    /** Whether to forget the key set in the studio for `variable`. */
    confirmRemove(variable: string, usedBy: readonly string[]): Promise<boolean>;
}

/** The same rules the backend applies (providers/provider-keys.ts), so most mistakes are caught as they are typed. */
export function providerKeyProblem(key: string): string | undefined {
    const trimmed = key.trim();
    if (!trimmed) {
        return 'Paste the key from the vendor\'s console.';
    }
    if (!/^[\x21-\x7e]+$/.test(trimmed)) {
        return 'A key has no spaces or line breaks: paste the key alone, without quotes or NAME=.';
    }
    return trimmed.length < 8 ? 'That is too short for a provider key: paste the whole key.' : undefined;
}
