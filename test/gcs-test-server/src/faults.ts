/**
 * Fault injection for the GCS test server and the fault proxy in front of it (fault-proxy.ts):
 * one rule table, applied in-process by the server or on the wire by the proxy. A fault
 * matches requests by method, path and query, fires `count` times (default once), and then
 * retires itself.
 *
 * Kinds:
 * - `status`: answer with `status` (default 503) and a GCS-style JSON error; nothing is stored.
 * - `reset-before`: read the request, then destroy the socket; nothing is stored.
 * - `reset-after`: handle the request fully (an upload IS stored), then destroy the socket
 *   instead of answering, so the client retries something that already happened.
 * - `delay`: wait `delayMs` (default 1000), then handle the request normally.
 * - `truncate`: handle the request, announce the full Content-Length, send only the first
 *   `truncateBytes` (default half) of the body, then destroy the socket.
 * - `page-size`: serve a listing with at most `pageSize` (default 1) entries per page, so a
 *   client must follow `nextPageToken` even over a handful of objects.
 */
export type FaultKind = 'status' | 'reset-before' | 'reset-after' | 'delay' | 'truncate' | 'page-size';

export interface FaultSpec {
    kind: FaultKind;
    /** HTTP method to match; any when absent. */
    method?: string;
    /** Substring of, or pattern for, the decoded path plus query (e.g. `/upload/`, `alt=media`). */
    pathMatch?: string | RegExp;
    status?: number;
    delayMs?: number;
    truncateBytes?: number;
    pageSize?: number;
    /** How many matching requests this fault hits (default 1; `Infinity` for all). */
    count?: number;
}

export interface ActiveFault extends FaultSpec {
    readonly id: number;
    remaining: number;
    hits: number;
}

export class FaultTable {
    protected nextId = 1;
    protected readonly faults: ActiveFault[] = [];

    add(spec: FaultSpec): ActiveFault {
        const fault: ActiveFault = { ...spec, id: this.nextId++, remaining: spec.count ?? 1, hits: 0 };
        this.faults.push(fault);
        return fault;
    }

    clear(): void {
        this.faults.length = 0;
    }

    /** Faults that have not fired their full count yet. */
    pending(): readonly ActiveFault[] {
        return this.faults.filter(f => f.remaining > 0);
    }

    /** Takes the first live fault matching this request, consuming one of its hits. */
    take(method: string, pathAndQuery: string): ActiveFault | undefined {
        for (const fault of this.faults) {
            if (fault.remaining <= 0) {
                continue;
            }
            if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) {
                continue;
            }
            if (fault.pathMatch !== undefined) {
                const ok = typeof fault.pathMatch === 'string' ? pathAndQuery.includes(fault.pathMatch) : fault.pathMatch.test(pathAndQuery);
                if (!ok) {
                    continue;
                }
            }
            fault.remaining--;
            fault.hits++;
            return fault;
        }
        return undefined;
    }
}

/** How many bytes of a `length`-byte body a `truncate` fault lets through: always fewer than all. */
export function truncatedLength(fault: FaultSpec, length: number): number {
    return Math.min(fault.truncateBytes ?? Math.floor(length / 2), Math.max(length - 1, 0));
}

/** The `maxResults` a listing request gets under a `page-size` fault. */
export function cappedMaxResults(fault: FaultSpec, requested: string | undefined): string {
    return String(Math.min(Number(requested ?? 1000) || 1000, Math.max(1, fault.pageSize ?? 1)));
}

/** A GCS JSON API error body, as the client parses it (code, message, reason). */
export function gcsErrorBody(code: number, message: string, reason: string): unknown {
    return { error: { code, message, errors: [{ domain: 'global', reason, message }] } };
}
