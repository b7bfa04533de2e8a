import { CliError, ExitCode } from '../cli/cli-command';

/** The one hint a 401 needs: a terminal's token is only as old as its terminal. */
export const expiredTokenHint = 'The terminal\'s token ends when the terminal closes; open a new terminal.';

/** The studio answered with an error status; the message is its sentence (the API's `{ error }`). */
export class StudioHttpError extends CliError {
    constructor(message: string, readonly status: number) {
        // 400 is a mistake in what was asked (bad input, exit 2); every other refusal is the operation failing.
        super(message, status === 400 ? ExitCode.usage : ExitCode.failed);
        this.name = 'StudioHttpError';
    }
}

/** The studio could not be reached at all: nothing listens, no such host, or no answer in time. */
export class StudioUnreachableError extends CliError {
    constructor(baseUrl: string, readonly code: string) {
        super(`The studio at ${baseUrl} does not answer (${code}); is it running?`, ExitCode.failed);
        this.name = 'StudioUnreachableError';
    }
}

/**
 * The error for an answer with an error status. The studio's JSON API says what was wrong as `{ error }`;
 * anything else (a proxy's page, an empty body) is described by its status, never echoed whole.
 */
export function errorOfResponse(status: number, statusText: string, bodyText: string): StudioHttpError {
    let sentence: string | undefined;
    try {
        const body = JSON.parse(bodyText) as unknown;
        if (body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string') {
            sentence = (body as { error: string }).error;
        }
    } catch {
        // Not JSON: said by its status below.
    }
    sentence ??= `The studio answered ${status}${statusText ? ` ${statusText}` : ''}.`;
    return new StudioHttpError(status === 401 ? `${sentence}\n${expiredTokenHint}` : sentence, status);
}

/**
 * The error for a request that got no answer. `fetch` reports the socket's reason as its `cause`
 * (ECONNREFUSED, ENOTFOUND, ...), sometimes inside an AggregateError (one per address tried).
 */
export function errorOfFetchFailure(error: unknown, baseUrl: string, timeoutMs: number): StudioUnreachableError {
    if (error instanceof Error && error.name === 'TimeoutError') {
        return new StudioUnreachableError(baseUrl, `no answer in ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`);
    }
    return new StudioUnreachableError(baseUrl, reasonCode(error) ?? causeMessage(error) ?? 'no connection');
}

/** `fetch failed` says nothing; its cause's message does ("bad port") when the cause has no code. */
function causeMessage(error: unknown): string | undefined {
    const cause = error instanceof Error ? error.cause : undefined;
    return cause instanceof Error && cause.message ? cause.message : undefined;
}

function reasonCode(error: unknown, depth = 0): string | undefined {
    if (!error || typeof error !== 'object' || depth > 3) {
        return undefined;
    }
    const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') {
        return code;
    }
    const inner = reasonCode(cause, depth + 1) ?? (Array.isArray(errors) ? errors.map(e => reasonCode(e, depth + 1)).find(c => c) : undefined);
    return inner ?? (typeof code === 'string' ? code : undefined);
}
