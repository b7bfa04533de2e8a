import { ChildProcess } from 'node:child_process';
import { QueryError, QueryTimeoutError } from './database-errors';
import { forkQueryWorker, killQueryWorker } from './query-worker-process';
import { QueryWorkerArgs, SessionAnswer, SessionMessage, SessionRequest } from './query-worker-protocol';

/** A request the user stopped; its worker was killed, so nothing of it went on running. */
export class QueryCancelledError extends Error {
    constructor(readonly database: string) {
        super(`The query on ${database}.db was cancelled and stopped.`);
        this.name = 'QueryCancelledError';
    }
}

export interface QueryWorkerSessionOptions extends QueryWorkerArgs {
    /** Database name, for messages. */
    readonly name: string;
    /** The compiled worker entry that understands this session's messages (its user's: the SQL console's console-worker-main.js). */
    readonly entry: string;
    /** The worker exits after this long without a request (default 10 min); its open result goes with it. */
    readonly idleMs?: number;
    /** Called once, when the session is closed. */
    readonly onClose?: () => void;
}

interface InFlight {
    readonly id: number;
    readonly resolve: (value: unknown) => void;
    readonly reject: (error: Error) => void;
    readonly timer: NodeJS.Timeout;
}

/**
 * One query worker process of one's own, kept between requests: the SQL console's runs, whose
 * worker holds the open result (a cursor) between page requests. Same process start, connection
 * and SIGKILL time limit as the pool (query-worker-pool.ts), but its own worker entry, which
 * decides what messages `M` it answers; the pool's workers are shared and stateless, this one
 * is pinned to one console and one mode.
 *
 * Invariants: one request at a time (a second one while busy is refused, not queued); a request
 * past its time limit, or cancelled, kills the worker, which also ends any read or write
 * transaction it held; the next request starts a fresh worker.
 */
export class QueryWorkerSession<M extends SessionMessage = SessionMessage> {
    protected child: ChildProcess | undefined;
    protected inFlight: InFlight | undefined;
    protected idleTimer: NodeJS.Timeout | undefined;
    protected nextId = 1;
    protected closed = false;

    constructor(readonly options: QueryWorkerSessionOptions) { }

    get busy(): boolean {
        return this.inFlight !== undefined;
    }

    /** The worker process's pid while it runs. */
    get pid(): number | undefined {
        return this.child?.pid;
    }

    request<T>(message: M, timeoutMs: number): Promise<T> {
        if (this.closed) {
            return Promise.reject(new QueryError(this.options.name, 'the console session was closed.'));
        }
        if (this.inFlight) {
            return Promise.reject(new QueryError(this.options.name, 'another query of this console is still running; wait for it or cancel it.'));
        }
        const child = this.worker();
        const id = this.nextId++;
        clearTimeout(this.idleTimer);
        return new Promise<T>((resolve, reject) => {
            const timer = setTimeout(() => this.stop(new QueryTimeoutError(this.options.name, timeoutMs)), timeoutMs);
            this.inFlight = { id, resolve: resolve as (value: unknown) => void, reject, timer };
            child.channel?.ref();
            const request: SessionRequest<M> = { ...message, id };
            child.send(request);
        });
    }

    /** Stops the request under way, if any (true), by killing the worker. */
    cancel(): boolean {
        if (!this.inFlight) {
            return false;
        }
        void this.stop(new QueryCancelledError(this.options.name));
        return true;
    }

    async close(): Promise<void> {
        if (!this.closed) {
            this.options.onClose?.();
        }
        this.closed = true;
        await this.stop(new QueryError(this.options.name, 'the console session was closed.'));
    }

    protected worker(): ChildProcess {
        if (this.child) {
            return this.child;
        }
        const child = forkQueryWorker(this.options, this.options.entry);
        this.child = child;
        child.on('message', (answer: SessionAnswer) => this.answered(child, answer));
        child.on('exit', (code, signal) => this.lost(child, `its worker process exited (${signal ?? code})`));
        child.on('error', error => this.lost(child, error.message));
        return child;
    }

    protected answered(child: ChildProcess, answer: SessionAnswer): void {
        const inFlight = this.inFlight;
        if (child !== this.child || !inFlight || inFlight.id !== answer.id) {
            return;
        }
        this.settle();
        if (answer.ok) {
            inFlight.resolve(answer.value);
        } else {
            inFlight.reject(new QueryError(this.options.name, answer.message, answer.code));
        }
        child.channel?.unref();
        this.idleTimer = setTimeout(() => void this.stop(), this.options.idleMs ?? 600_000);
        this.idleTimer.unref();
    }

    protected lost(child: ChildProcess, why: string): void {
        if (child !== this.child) {
            return;
        }
        this.child = undefined;
        const inFlight = this.inFlight;
        this.settle();
        inFlight?.reject(new QueryError(this.options.name, why));
    }

    /** Kills the worker; the request under way, if any, fails with `error`. */
    protected stop(error?: Error): Promise<void> {
        const child = this.child;
        const inFlight = this.inFlight;
        this.child = undefined;
        this.settle();
        clearTimeout(this.idleTimer);
        if (inFlight) {
            inFlight.reject(error ?? new QueryError(this.options.name, 'its worker was stopped.'));
        }
        return child ? killQueryWorker(child) : Promise.resolve();
    }

    protected settle(): void {
        if (this.inFlight) {
            clearTimeout(this.inFlight.timer);
            this.inFlight = undefined;
        }
    }
}
