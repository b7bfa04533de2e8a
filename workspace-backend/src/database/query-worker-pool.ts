import { ChildProcess } from 'node:child_process';
import { QueryError, QueryTimeoutError } from './database-errors';
import { forkQueryWorker, killQueryWorker } from './query-worker-process';
import { QueryAnswer, QueryRequest } from './query-worker-protocol';

export interface QueryOptions {
    /** The time limit, from the call; past it the query is stopped and a `QueryTimeoutError` thrown. */
    readonly timeoutMs?: number;
    /** At most this many rows are returned (default 10,000); `truncated` says when there were more. */
    readonly maxRows?: number;
}

export interface QueryResult {
    readonly columns: string[];
    readonly rows: Record<string, unknown>[];
    readonly truncated: boolean;
}

export interface QueryWorkerPoolOptions {
    /** Database name, for messages. */
    readonly name: string;
    readonly file: string;
    /** Worker processes at most; each holds one read-only connection. Started on demand. */
    readonly maxWorkers: number;
    readonly busyTimeoutMs: number;
    readonly defaultTimeoutMs: number;
    /** An idle worker exits after this long, so an idle studio holds no extra processes. */
    readonly idleMs?: number;
    /** The compiled query-worker-main.js; by default beside this file (also right when a bundler emits it as an entry beside the backend bundle). */
    readonly entry?: string;
}

interface Pending {
    readonly request: QueryRequest;
    readonly timeoutMs: number;
    readonly resolve: (result: QueryResult) => void;
    readonly reject: (error: Error) => void;
    timer?: NodeJS.Timeout;
}

interface Worker {
    readonly child: ChildProcess;
    current?: Pending;
    idleTimer?: NodeJS.Timeout;
}

/**
 * Runs ad-hoc and long read queries away from the backend's event loop, in worker processes
 * with their own read-only connections.
 *
 * Why processes and not worker threads: better-sqlite3 runs a query inside one native call,
 * and `Worker.terminate()` only stops JavaScript; a thread stuck in SQLite's loop (a runaway
 * recursive CTE, say) keeps running, holds its read snapshot (so checkpoints cannot reset the
 * WAL) and even keeps the process from exiting. Killing a process really stops the query and
 * releases its locks. Start-up costs about 50 ms, paid once per worker: workers are reused
 * until idle for `idleMs`.
 *
 * Invariants: a worker runs one query at a time; a timed-out worker is killed and forgotten
 * (a new one starts for the next query); the time limit covers waiting in the queue too.
 */
export class QueryWorkerPool {
    protected readonly workers = new Set<Worker>();
    protected readonly queue: Pending[] = [];
    protected nextId = 1;
    protected closed = false;

    constructor(protected readonly options: QueryWorkerPoolOptions) { }

    get size(): number {
        return this.workers.size;
    }

    query(sql: string, params: readonly unknown[] | Readonly<Record<string, unknown>> = [], options: QueryOptions = {}): Promise<QueryResult> {
        if (this.closed) {
            return Promise.reject(new QueryError(this.options.name, 'the database is closed.'));
        }
        const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;
        return new Promise<QueryResult>((resolve, reject) => {
            const pending: Pending = {
                request: { id: this.nextId++, sql, params, maxRows: options.maxRows ?? 10_000 },
                timeoutMs, resolve, reject,
            };
            pending.timer = setTimeout(() => this.timeOut(pending), timeoutMs);
            this.queue.push(pending);
            this.dispatch();
        });
    }

    /** Kills every worker; queued and running queries fail. */
    async close(): Promise<void> {
        this.closed = true;
        for (const pending of this.queue.splice(0)) {
            this.settle(pending, new QueryError(this.options.name, 'the database was closed before the query ran.'));
        }
        await Promise.all([...this.workers].map(w => this.kill(w, new QueryError(this.options.name, 'the database was closed while the query ran.'))));
    }

    protected dispatch(): void {
        while (this.queue.length > 0) {
            const worker = [...this.workers].find(w => !w.current) ?? (this.workers.size < this.options.maxWorkers ? this.spawn() : undefined);
            if (!worker) {
                return;
            }
            const pending = this.queue.shift()!;
            clearTimeout(worker.idleTimer);
            worker.current = pending;
            worker.child.channel?.ref();
            worker.child.send(pending.request);
        }
    }

    protected spawn(): Worker {
        const child = forkQueryWorker({ file: this.options.file, busyTimeoutMs: this.options.busyTimeoutMs }, this.options.entry);
        const worker: Worker = { child };
        this.workers.add(worker);
        child.on('message', (answer: QueryAnswer) => this.answered(worker, answer));
        child.on('error', error => this.lost(worker, error.message));
        child.on('exit', (code, signal) => this.lost(worker, `its worker process exited (${signal ?? code})`));
        return worker;
    }

    protected answered(worker: Worker, answer: QueryAnswer): void {
        const pending = worker.current;
        if (!pending || pending.request.id !== answer.id) {
            return;
        }
        worker.current = undefined;
        this.settle(pending, answer.ok ? answer : new QueryError(this.options.name, answer.message, answer.code));
        this.idle(worker);
        this.dispatch();
    }

    protected idle(worker: Worker): void {
        worker.child.channel?.unref();
        worker.idleTimer = setTimeout(() => this.kill(worker), this.options.idleMs ?? 30_000);
        worker.idleTimer.unref();
    }

    protected timeOut(pending: Pending): void {
        const index = this.queue.indexOf(pending);
        if (index >= 0) {
            this.queue.splice(index, 1);
        }
        const error = new QueryTimeoutError(this.options.name, pending.timeoutMs);
        const worker = [...this.workers].find(w => w.current === pending);
        if (worker) {
            void this.kill(worker, error);
            this.dispatch();
        } else {
            this.settle(pending, error);
        }
    }

    protected lost(worker: Worker, why: string): void {
        if (!this.workers.delete(worker)) {
            return;
        }
        clearTimeout(worker.idleTimer);
        if (worker.current) {
            this.settle(worker.current, new QueryError(this.options.name, why));
            worker.current = undefined;
        }
        this.dispatch();
    }

    /** SIGKILL: the only signal a process stuck in native code cannot put off. Resolves once it is gone. */
    protected kill(worker: Worker, error?: Error): Promise<void> {
        this.workers.delete(worker);
        clearTimeout(worker.idleTimer);
        if (worker.current) {
            this.settle(worker.current, error ?? new QueryError(this.options.name, 'its worker was stopped.'));
            worker.current = undefined;
        }
        return killQueryWorker(worker.child);
    }

    protected settle(pending: Pending, outcome: QueryResult | Error): void {
        clearTimeout(pending.timer);
        if (outcome instanceof Error) {
            pending.reject(outcome);
        } else {
            pending.resolve({ columns: outcome.columns, rows: outcome.rows, truncated: outcome.truncated });
        }
    }
}
