import { RegistryUrlPreference } from './registry-preferences';

/**
 * What the studio tells a user when the extension registry (Open VSX, or the mirror the registry
 * setting or VSX_REGISTRY_URL names) cannot be used. Node's fetch reports every network failure as "fetch failed" and keeps the
 * reason (a system error code) in `cause`, which does not survive the RPC to the browser: the
 * sentence is made here, where the cause is known.
 */
export function describeRegistryFailure(error: unknown, registryUri: string): string {
    const code = failureCode(error);
    const reason = code ? reasonFor(code, registryUri) : undefined;
    const advice = `Installed extensions and "Install from VSIX…" still work. For another registry, set ${RegistryUrlPreference} in the settings (or VSX_REGISTRY_URL on the studio).`;
    if (reason) {
        return `Open VSX cannot be reached at ${registryUri}: ${reason}. ${advice}`;
    }
    return `Open VSX at ${registryUri} gave no usable answer: ${messageOf(error)}. ${advice}`;
}

/** The system error code of a failed request, looked for in the error and its causes (undici nests them, AggregateError lists them). */
export function failureCode(error: unknown, depth = 0): string | undefined {
    if (typeof error !== 'object' || error === null || depth > 4) {
        return undefined;
    }
    const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') {
        return code;
    }
    return failureCode(cause, depth + 1) ?? (Array.isArray(errors) ? errors.map(e => failureCode(e, depth + 1)).find(c => c !== undefined) : undefined);
}

function reasonFor(code: string, registryUri: string): string | undefined {
    let host = registryUri;
    try {
        host = new URL(registryUri).hostname;
    } catch {
        // not a URL: name it as given
    }
    switch (code) {
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            // No code in this one: Theia's view appends a generic network hint to any message naming ENOTFOUND.
            return `${host} does not resolve (no network or no DNS)`;
        case 'ECONNREFUSED':
            return `${host} refused the connection (${code})`;
        case 'ETIMEDOUT':
        case 'UND_ERR_CONNECT_TIMEOUT':
            return `the connection to ${host} timed out, as when a firewall drops it (${code})`;
        case 'ECONNRESET':
        case 'UND_ERR_SOCKET':
            return `the connection to ${host} was cut (${code})`;
        case 'ENETUNREACH':
        case 'EHOSTUNREACH':
            return `there is no route to ${host} (${code})`;
    }
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
        return `its TLS certificate is not trusted (${code})`;
    }
    return undefined;
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
