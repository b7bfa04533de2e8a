import { CliError, ExitCode } from '../cli/cli-command';
import { errorOfFetchFailure, errorOfResponse } from './studio-errors';

/** How long one request may take before the studio counts as not answering. */
export const RequestTimeoutMs = 30_000;

export type QueryValue = string | number | undefined;

export interface RequestOptions {
    /** Query parameters; undefined ones are left out. */
    readonly query?: Readonly<Record<string, QueryValue>>;
    /** Sent as JSON. */
    readonly body?: unknown;
    /** Overrides `RequestTimeoutMs`; `null`: no time limit (the bus subscription's polls). */
    readonly timeoutMs?: number | null;
    /** Ends the request when the caller stops (Ctrl+C); its abort error is thrown as it is. */
    readonly signal?: AbortSignal;
}

/**
 * A client of the running studio's JSON API under `/coditect/api/`, as the person the token stands for.
 * Invariant: the token goes only into the Authorization header; no message this client makes contains it.
 */
export class StudioClient {
    constructor(readonly baseUrl: string, private readonly token: string) { }

    get<T>(path: string, options: RequestOptions = {}): Promise<T> {
        return this.request<T>('GET', path, options);
    }

    post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
        return this.request<T>('POST', path, { ...options, body });
    }

    /** The API answers a delete with 204 and no body. */
    async delete(path: string, options: RequestOptions = {}): Promise<void> {
        await this.request<unknown>('DELETE', path, options);
    }

    async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
        const timeoutMs = options.timeoutMs === undefined ? RequestTimeoutMs : options.timeoutMs;
        const signals = [...(timeoutMs === null ? [] : [AbortSignal.timeout(timeoutMs)]), ...(options.signal ? [options.signal] : [])];
        const headers: Record<string, string> = { 'Authorization': `Bearer ${this.token}`, 'Accept': 'application/json' };
        if (options.body !== undefined) {
            headers['Content-Type'] = 'application/json';
        }
        let status: number;
        let statusText: string;
        let text: string;
        try {
            const response = await fetch(this.urlOf(path, options.query), {
                method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body),
                signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
            });
            ({ status, statusText } = response);
            text = await response.text();
        } catch (error) {
            if (options.signal?.aborted) {
                throw error;
            }
            throw errorOfFetchFailure(error, this.baseUrl, timeoutMs ?? 0);
        }
        if (status >= 400) {
            throw errorOfResponse(status, statusText, text);
        }
        if (text === '') {
            return undefined as T;
        }
        try {
            return JSON.parse(text) as T;
        } catch {
            throw new CliError(`The studio at ${this.baseUrl} answered ${method} ${path} with something other than JSON; `
                + 'is CODITECT_API_URL the studio\'s address?', ExitCode.failed);
        }
    }

    /** The base URL may carry a path of its own (a studio behind a proxy at /studio/): the API's path goes under it. */
    urlOf(path: string, query: Readonly<Record<string, QueryValue>> = {}): string {
        const url = new URL(this.baseUrl);
        url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
        for (const [name, value] of Object.entries(query)) {
            if (value !== undefined) {
                url.searchParams.set(name, String(value));
            }
        }
        return url.toString();
    }
}
