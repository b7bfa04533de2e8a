import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Why a database file was set aside instead of deleted; the word is part of its new name,
 * `<db file>.<why>-<UTC stamp>`:
 * - `diverged`: it held commits the replica lacks while the replica had moved on past their
 *   common position; the replica's history went live (local-vs-replica.ts says why), this copy
 *   waits for the operator (`coditect-workspace diverged`).
 * - `replaced`: start-up restored the replica over it (damaged, older, or of unknown place).
 * - `before-restore`, `before-promote`: the operator CLI replaced it.
 */
export type KeptCopyKind = 'diverged' | 'replaced' | 'before-restore' | 'before-promote';

export const keptCopyKinds: readonly KeptCopyKind[] = ['diverged', 'replaced', 'before-restore', 'before-promote'];

export interface KeptCopy {
    /** The main file of the copy; its -wal/-shm/-replica.json, if any, sit beside it. */
    file: string;
    kind: KeptCopyKind;
    /** When it was set aside (from its name). */
    keptAt: string;
}

/** Moves a database file and its -wal/-shm/-replica.json aside together; returns the new name of the main file. */
export function moveDatabaseAside(dbPath: string, why: KeptCopyKind): string {
    const aside = `${dbPath}.${why}-${new Date().toISOString().replace(/[-:.]/g, '')}`;
    for (const suffix of ['-wal', '-shm', '-replica.json']) {
        if (fs.existsSync(dbPath + suffix)) {
            fs.renameSync(dbPath + suffix, aside + suffix);
        }
    }
    fs.renameSync(dbPath, aside);
    return aside;
}

/** The copies kept beside `dbPath` (main files only), oldest first. */
export function listKeptCopies(dbPath: string, kinds: readonly KeptCopyKind[] = keptCopyKinds): KeptCopy[] {
    let names: string[];
    try {
        names = fs.readdirSync(path.dirname(dbPath));
    } catch {
        return [];
    }
    const base = path.basename(dbPath);
    const copies: KeptCopy[] = [];
    for (const name of names) {
        const match = /^(.+)-(\d{8}T\d{9}Z)$/.exec(name.slice(base.length + 1));
        const kind = match?.[1] as KeptCopyKind | undefined;
        if (name.startsWith(`${base}.`) && match && kinds.includes(kind!)) {
            const s = match[2];
            copies.push({
                file: path.join(path.dirname(dbPath), name),
                kind: kind!,
                keptAt: `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`,
            });
        }
    }
    return copies.sort((a, b) => a.keptAt.localeCompare(b.keptAt));
}
