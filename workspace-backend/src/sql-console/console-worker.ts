import * as path from 'node:path';
import type { QueryWorkerSession } from '../database/query-worker-session';
import type { SqliteDatabase } from '../database/sqlite-database';
import type { ScriptRunOptions } from './script-runner';

/**
 * What the console asks of its worker (console-worker-main.ts), one message at a time; the
 * database's `QueryWorkerSession` numbers and carries them.
 */
export type ConsoleWorkerMessage =
    /** Runs a script (script-runner.ts); answers with a `ScriptOutcome`. */
    | ScriptRunOptions & {
        readonly kind: 'script';
        /** The worker kills itself this long after the script starts unless it has answered (database/self-deadline.ts). */
        readonly selfDeadlineMs?: number;
    }
    /** The next page of the open result; answers with a `ResultPage`. `truncate: false` sends whole values (exports). */
    | { readonly kind: 'fetch'; readonly pageSize: number; readonly truncate: boolean }
    /** The whole value behind a cut cell; answers with a string. */
    | { readonly kind: 'cell'; readonly ref: number }
    /** Closes the open result (ends its read transaction); answers with null. */
    | { readonly kind: 'close-cursor' };

export type ConsoleWorkerSession = QueryWorkerSession<ConsoleWorkerMessage>;

/** The compiled console-worker-main.js, beside this file (also right when a bundler emits it as an entry beside the backend bundle). */
const ConsoleWorkerEntry = path.join(__dirname, 'console-worker-main.js');

/** A worker of the console's own on `database`: it runs scripts and keeps their open result between page requests. */
export function openConsoleWorker(database: SqliteDatabase, mode: 'read' | 'write'): ConsoleWorkerSession {
    return database.openSession<ConsoleWorkerMessage>(mode, ConsoleWorkerEntry);
}

