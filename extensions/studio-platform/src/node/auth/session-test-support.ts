import type { WebSessionRecord } from '@coditect/workspace-backend';

/** `workspace.db`'s sessions table as a map, with `WebSessionRepository`'s semantics: for specs of the store and the middleware. */
export class MemoryWebSessions {
    readonly rows = new Map<string, WebSessionRecord>();
    insert(record: WebSessionRecord): void {
        if (!/^[0-9a-f]{64}$/.test(record.idHash) || this.rows.has(record.idHash)) {
            throw new Error(`bad or duplicate session hash ${record.idHash}`);
        }
        this.rows.set(record.idHash, record);
    }
    get(idHash: string): WebSessionRecord | undefined {
        return this.rows.get(idHash);
    }
    allOf(fingerprint: string): WebSessionRecord[] {
        return [...this.rows.values()].filter(r => r.fingerprint === fingerprint);
    }
    touch(idHash: string, at: number): void {
        const row = this.rows.get(idHash);
        if (row) {
            this.rows.set(idHash, { ...row, lastUsedAt: Math.max(row.lastUsedAt, at) });
        }
    }
    delete(idHash: string): boolean {
        return this.rows.delete(idHash);
    }
    deleteOtherThan(fingerprint: string): number {
        return this.deleteWhere(r => r.fingerprint !== fingerprint);
    }
    deleteExpired(now: number, idleSince: number): number {
        return this.deleteWhere(r => r.expiresAt <= now || r.lastUsedAt < idleSince);
    }
    protected deleteWhere(test: (r: WebSessionRecord) => boolean): number {
        const doomed = [...this.rows.values()].filter(test);
        doomed.forEach(r => this.rows.delete(r.idHash));
        return doomed.length;
    }
}
