import { SqlConsole } from '../../sql-console/sql-console';
import type { CorePartOf } from '../core-context';

/**
 * The SQL console over the six databases, under the core's policy; the studio's backend gives
 * each browser connection a session. Declared last, so it stops first: its sessions' query
 * workers (a write holds its database's write lock) end before the final syncs and the close.
 */
export const SqlConsolePart: CorePartOf<'sql-console'> = {
    id: 'sql-console', label: 'SQL console', needs: ['databases'], stopStep: 'stopping the SQL console',
    start: ({ policy }, parts) => new SqlConsole(parts.get('databases'), {
        // The lock manager's in-memory table is the truth of locks.db; a console write there would contradict it.
        ownedDatabases: { locks: 'the lock manager (release a lock with Force Release in the file tree, or DELETE /coditect/api/locks/<id>)' },
        policy,
    }),
    stop: console => console.dispose(),
};
