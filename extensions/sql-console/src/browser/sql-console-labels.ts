import { nls } from '@theia/core/lib/common/nls';
import type { ConsoleError, RunResult } from '../common/sql-console-protocol';

/** How runs and their failures read in the console (status line, banners, messages). */
export namespace SqlConsoleLabels {

    export function errorTitle(kind: ConsoleError['kind']): string {
        switch (kind) {
            case 'sqlite': return nls.localize('coditect/sql-console/error-sqlite', 'SQLite rejected the query');
            case 'refused': return nls.localize('coditect/sql-console/error-refused', 'Not allowed in the SQL console');
            case 'forbidden': return nls.localize('coditect/sql-console/error-forbidden', 'Not allowed for your role');
            case 'timeout': return nls.localize('coditect/sql-console/error-timeout', 'Stopped: time limit reached');
            case 'cancelled': return nls.localize('coditect/sql-console/error-cancelled', 'Cancelled');
            case 'unavailable': return nls.localize('coditect/sql-console/error-unavailable', 'Database unavailable');
            case 'busy': return nls.localize('coditect/sql-console/error-busy', 'Too many queries running');
        }
    }

    /** "3 rows", "1 row": the counts the console shows. */
    export function rows(n: number, more = false): string {
        const count = `${n}${more ? '+' : ''}`;
        return n === 1
            ? nls.localize('coditect/sql-console/one-row', '{0} row', count)
            : nls.localize('coditect/sql-console/n-rows', '{0} rows', count);
    }

    export function rowsRead(n: number | undefined): string {
        return n === 1
            ? nls.localize('coditect/sql-console/one-row-read', '1 row read')
            : nls.localize('coditect/sql-console/n-rows-read', '{0} rows read', String(n));
    }

    export function rowsAffected(n: number | undefined): string {
        return n === 1
            ? nls.localize('coditect/sql-console/one-row-affected', '1 row affected')
            : nls.localize('coditect/sql-console/n-rows-affected', '{0} rows affected', String(n));
    }

    export function duration(ms: number): string {
        return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
    }

    /** The status line of a finished run: "12 rows · 3.1 ms", "2 statements, 5 rows affected, committed · 8 ms". */
    export function summary(result: RunResult, loadedRows: number, hasMore: boolean): string {
        const ms = duration(result.durationMs);
        if (result.error) {
            return nls.localize('coditect/sql-console/failed-after', 'Failed after {0}', ms);
        }
        if (result.columns) {
            return `${rows(loadedRows, hasMore)} · ${ms}`;
        }
        const affected = result.statements.reduce((n, s) => n + (s.rowsAffected ?? 0), 0);
        const statements = result.statements.length === 1
            ? nls.localize('coditect/sql-console/one-statement', '1 statement')
            : nls.localize('coditect/sql-console/n-statements', '{0} statements', result.statements.length);
        const changed = rowsAffected(affected);
        const committed = result.committed ? nls.localize('coditect/sql-console/committed-suffix', ', committed') : '';
        return `${statements}, ${changed}${committed} · ${ms}`;
    }
}
