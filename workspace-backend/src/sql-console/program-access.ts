import type BetterSqlite3 from 'better-sqlite3';

/** One instruction of an `EXPLAIN` listing. */
export interface ProgramRow {
    readonly opcode: string;
    readonly p1: number;
    readonly p2: number;
    readonly p3: number;
    readonly p4: string | null;
    readonly p5: number;
}

/** The tables of the main schema a compiled statement opens, and the objects it drops. */
export interface ProgramAccess {
    /** Tables it reads, by their own b-tree or one of their indexes. */
    readonly read: ReadonlySet<string>;
    /** Tables it changes: rows written, deleted, cleared, or their b-trees destroyed. */
    readonly written: ReadonlySet<string>;
    /** Objects it drops, by name (`DropTable`, `DropIndex`, `DropTrigger` name them in p4). */
    readonly dropped: readonly string[];
}

/** `OpenWrite` with this p5 flag holds the root page in the register p2, not p2 itself (a b-tree being created). */
const OPFLAG_P2ISREG = 0x10;

/**
 * What a statement's program touches, read from its `EXPLAIN` listing (which includes the
 * programs of the triggers and foreign-key actions it fires, so a trigger cannot hide a write).
 * Cursors name a b-tree by its root page: `OpenRead`/`ReopenIdx`/`OpenWrite` in p2 with the
 * schema in p3 (0 is main), `Clear` in p1 with the schema in p2, `Destroy` in p1 with the schema
 * in p3. Root pages map to tables through `sqlite_schema`, an index's to the table it indexes.
 * Other schemas are not looked at: `temp` holds only this connection's own objects, and ATTACH
 * is refused.
 */
export function programAccess(db: BetterSqlite3.Database, program: readonly ProgramRow[]): ProgramAccess {
    let tables: Map<number, string> | undefined;
    const tableOf = (root: number): string | undefined => {
        tables ??= new Map((db.prepare('SELECT rootpage, tbl_name FROM main.sqlite_schema WHERE rootpage > 0').raw().all() as [number, string][]));
        return tables.get(root);
    };
    const read = new Set<string>();
    const written = new Set<string>();
    const dropped: string[] = [];
    const add = (into: Set<string>, root: number, schema: number) => {
        const table = schema === 0 ? tableOf(root) : undefined;
        if (table !== undefined) {
            into.add(table);
        }
    };
    for (const row of program) {
        switch (row.opcode) {
            case 'OpenRead':
            case 'ReopenIdx':
                add(read, row.p2, row.p3);
                break;
            case 'OpenWrite':
                if ((row.p5 & OPFLAG_P2ISREG) === 0) {
                    add(written, row.p2, row.p3);
                }
                break;
            case 'Clear':
                add(written, row.p1, row.p2);
                break;
            case 'Destroy':
                add(written, row.p1, row.p3);
                break;
            case 'DropTable':
            case 'DropIndex':
            case 'DropTrigger':
                if (row.p1 === 0 && row.p4) {
                    dropped.push(row.p4);
                }
                break;
            default:
                break;
        }
    }
    return { read, written, dropped };
}
