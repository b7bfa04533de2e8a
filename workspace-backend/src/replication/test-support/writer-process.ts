import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';

/** What the writer child (crash-child.ts) tells its parent over IPC. */
export interface WriterMessage {
    /** A row whose durable acknowledgement arrived: it must survive anything that follows. */
    ack?: number;
    /** A row committed locally without waiting (CRASH_DURABLE=0). */
    wrote?: number;
    /** Replication is running; the lease owner and pid, and when the lease was taken (epoch ms). */
    started?: { owner: string; pid: number; at: number };
    /** CRASH_WAIT_FOR_GO: loaded and waiting for `go()` before it restores and takes the lease. */
    ready?: true;
    /** The lease was held by someone else at start; the child tries again. */
    leaseBusy?: string;
    /** A durable wait failed and will be retried (the store is failing). */
    refused?: string;
    /** A FencedError: the child stopped writing to the replica and exits. */
    fenced?: string;
    /** The child froze itself with SIGSTOP after CRASH_FREEZE_AFTER_ACK acknowledgements. */
    frozen?: true;
    stopped?: true;
}

const script = path.join(__dirname, 'crash-child.js');

/**
 * A writer child as the parent sees it: every message kept, and `until` to wait for a state of
 * them (never for a time). A guard SIGKILLs a child that outlives `guardMs`, so a hung child
 * fails its test instead of the run.
 */
export class WriterProcess {
    readonly acked: number[] = [];
    readonly wrote: number[] = [];
    readonly messages: WriterMessage[] = [];
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    protected readonly proc: ChildProcess;
    protected readonly listeners = new Set<() => void>();
    protected exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

    constructor(env: Record<string, string>, guardMs = 60_000) {
        this.proc = fork(script, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        this.proc.on('message', (m: WriterMessage) => {
            this.messages.push(m);
            if (m.ack !== undefined) this.acked.push(m.ack);
            if (m.wrote !== undefined) this.wrote.push(m.wrote);
            this.listeners.forEach(l => l());
        });
        const guard = setTimeout(() => this.proc.kill('SIGKILL'), guardMs);
        this.exited = new Promise((resolve, reject) => {
            this.proc.on('error', reject);
            this.proc.on('exit', (code, signal) => {
                clearTimeout(guard);
                this.exit = { code, signal };
                this.listeners.forEach(l => l());
                resolve(this.exit);
            });
        });
    }

    get pid(): number {
        return this.proc.pid!;
    }

    /** The first message carrying `field`, if any arrived. */
    message<K extends keyof WriterMessage>(field: K): WriterMessage[K] | undefined {
        return this.messages.find(m => m[field] !== undefined)?.[field];
    }

    /** Resolves once `predicate` holds over the messages so far; rejects if the child exits first. */
    until(predicate: () => boolean, what: string): Promise<void> {
        return new Promise((resolve, reject) => {
            const check = () => {
                if (predicate()) {
                    this.listeners.delete(check);
                    resolve();
                } else if (this.exit) {
                    this.listeners.delete(check);
                    reject(new Error(`The writer child exited (code ${this.exit.code}, signal ${this.exit.signal}) before ${what}; last messages: ${JSON.stringify(this.messages.slice(-3))}`));
                }
            };
            this.listeners.add(check);
            check();
        });
    }

    kill(signal: NodeJS.Signals): void {
        this.proc.kill(signal);
    }

    /** Lets a child started with CRASH_WAIT_FOR_GO=1 (and `ready`) go on. */
    go(): void {
        this.proc.send('go');
    }
}
