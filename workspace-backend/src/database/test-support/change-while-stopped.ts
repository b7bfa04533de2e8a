import Database from 'better-sqlite3';
import * as path from 'node:path';

/** Changes `<name>.db` in `dataDir` with a raw connection while the studio is stopped, as a `sqlite3` shell would. */
export function changeWhileStopped(dataDir: string, name: string, sql: string): void {
    const db = new Database(path.join(dataDir, `${name}.db`));
    try {
        db.exec(sql);
    } finally {
        db.close();
    }
}
