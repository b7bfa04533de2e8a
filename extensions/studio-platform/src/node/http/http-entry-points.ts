import type { EntryAction } from '@coditect/workspace-backend';
import type { Application, RequestHandler } from '@theia/core/shared/express';

/**
 * Who may reach an HTTP route:
 * - a policy action: any credential the policy could allow it (the route gates on it; see json-api.ts);
 * - `signed-in`: any verified credential or session; the route decides on what it serves (who you are, a one-time link made for you);
 * - `public`: no credential (the probes' /health, which then shows only a status, and the sign-in itself).
 */
export type HttpAccess = EntryAction | 'signed-in' | 'public';

export interface HttpEntry {
    readonly method: 'GET' | 'POST' | 'DELETE';
    /** In express syntax (`/coditect/api/locks/:id/renew`). */
    readonly path: string;
    readonly access: HttpAccess;
}

/**
 * Every HTTP route this backend serves, with who may reach it: what the entry-point coverage test
 * reads (test/src/security/entry-points.spec.ts). Routes are registered through `declareHttpEntry`
 * (JSON APIs through `mountJsonApi`, which calls it); a route registered on express directly is
 * a lint-level defect the coverage test finds in the sources.
 */
export const HttpEntryPoints: HttpEntry[] = [];

export function declareHttpEntry(entry: HttpEntry): void {
    if (!HttpEntryPoints.some(e => e.method === entry.method && e.path === entry.path)) {
        HttpEntryPoints.push(entry);
    }
}

/** Serves one route that is not a JSON API (a probe, a page, a download), declared with who may reach it. */
export function mountHttpRoute(app: Application, entry: HttpEntry, handler: RequestHandler): void {
    declareHttpEntry(entry);
    switch (entry.method) {
        case 'GET': app.get(entry.path, handler); break;
        case 'POST': app.post(entry.path, handler); break;
        case 'DELETE': app.delete(entry.path, handler); break;
    }
}
