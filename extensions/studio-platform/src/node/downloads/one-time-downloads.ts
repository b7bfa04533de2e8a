import { randomBytes } from 'node:crypto';

/**
 * Downloads prepared over RPC and fetched over HTTP (a download the browser starts, which cannot
 * carry an RPC call's identity). A token is random, works once, and expires after `ttlMs`: it stands
 * for the person who prepared it, so what it holds must name that person.
 */
export class OneTimeDownloads<T> {
    protected readonly prepared = new Map<string, { readonly item: T; readonly expiresAt: number }>();

    /** @param prefix the HTTP path the download is served under; `prepare` answers `<prefix>/<token>`. */
    constructor(readonly prefix: string, readonly ttlMs = 60_000) { }

    /** Keeps `item` for one fetch within the time limit; answers the URL path that fetches it. */
    prepare(item: T): string {
        const now = Date.now();
        for (const [token, old] of this.prepared) {
            if (old.expiresAt < now) {
                this.prepared.delete(token);
            }
        }
        const token = randomBytes(18).toString('base64url');
        this.prepared.set(token, { item, expiresAt: now + this.ttlMs });
        return `${this.prefix}/${token}`;
    }

    /** The item, once: a second take, an expired token and an unknown one all answer `undefined`. */
    take(token: string): T | undefined {
        const prepared = this.prepared.get(token);
        this.prepared.delete(token);
        return prepared && prepared.expiresAt >= Date.now() ? prepared.item : undefined;
    }
}
