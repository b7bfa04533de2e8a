import type BetterSqlite3 from 'better-sqlite3';

export type SqlParam = number | bigint | string | Buffer | null | boolean;
/** Positional values, or one object of named values (`@name`, `:name`, `$name`). */
export type SqlParams = SqlParam[] | [Readonly<Record<string, SqlParam>>];

/**
 * One better-sqlite3 connection with a cache of prepared statements, so repositories can pass
 * SQL text on every call and pay for parsing it once. The cache is bounded: SQL text built
 * from values (which repositories must not do) would otherwise grow it without end.
 */
export class SqlConnection {
    static readonly maxCachedStatements = 500;
    protected readonly statements: Map<string, BetterSqlite3.Statement> = new Map();

    constructor(readonly db: BetterSqlite3.Database) { }

    prepare(sql: string): BetterSqlite3.Statement {
        let statement = this.statements.get(sql);
        if (statement === undefined) {
            if (this.statements.size >= SqlConnection.maxCachedStatements) {
                this.statements.clear();
            }
            statement = this.db.prepare(sql);
            this.statements.set(sql, statement);
        }
        return statement;
    }

    run(sql: string, ...params: SqlParams): BetterSqlite3.RunResult {
        return this.prepare(sql).run(...params);
    }

    get<T>(sql: string, ...params: SqlParams): T | undefined {
        return this.prepare(sql).get(...params) as T | undefined;
    }

    all<T>(sql: string, ...params: SqlParams): T[] {
        return this.prepare(sql).all(...params) as T[];
    }
}
