/**
 * Fault injection for the GCS test server. A fault matches requests by method, path and query,
 * fires `count` times (default once), and then retires itself.
 *
 * Kinds:
 * - `status`: answer with `status` (default 503) and a GCS-style JSON error; nothing is stored.
 * - `reset-before`: read the request, then destroy the socket; nothing is stored.
 * - `reset-after`: handle the request fully (an upload IS stored), then destroy the socket
 *   instead of answering, so the client retries something that already happened.
 * - `delay`: wait `delayMs` (default 1000), then handle the request normally.
 * - `truncate`: handle the request, announce the full Content-Length, send only the first
 *   `truncateBytes` (default half) of the body, then destroy the socket.
 */
export type FaultKind = 'status' | 'reset-before' | 'reset-after' | 'delay' | 'truncate';

export interface FaultSpec {
    kind: FaultKind;
    /** HTTP method to match; any when absent. */
    method?: string;
    /** Substring of, or pattern for, the decoded path plus query (e.g. `/upload/`, `alt=media`). */
    pathMatch?: string | RegExp;
    status?: number;
    delayMs?: number;
    truncateBytes?: number;
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
