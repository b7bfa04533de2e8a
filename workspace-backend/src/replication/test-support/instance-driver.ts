import Database from 'better-sqlite3';
import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import type { ReplicationStatus } from '../replication-manager';

const script = path.join(__dirname, 'replica-instance.js');

/** The ids of the rows replica instances wrote (table `t`) that database `file` holds, read without changing it. */
export function writtenIds(file: string): Set<number> {
    const db = new Database(file, { readonly: true });
    try {
        return new Set((db.prepare('SELECT id FROM t').all() as { id: number }[]).map(r => r.id));
    } finally {
        db.close();
    }
}

/** What a replica-instance child has said so far. */
export interface InstanceMessage {
    opened?: boolean;
    ids?: number[];
    status?: ReplicationStatus;
    state?: ReplicationStatus;
    started?: 'started' | 'waiting';
    startFailed?: string;
    ack?: number;
    wroteAll?: boolean;
    stopped?: boolean;
    log?: string;
}

/**
 * Drives one replica-instance child (replica-instance.ts): every wait is on a message or on the
 * exit, never on the clock; `within` only bounds how long a broken run can hang (with headroom
 * for a loaded machine).
 */
export class Instance {
    readonly messages: InstanceMessage[] = [];
    readonly acked: number[] = [];
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    protected readonly proc: ChildProcess;
    protected readonly listeners = new Set<() => void>();
    protected closed = false;

    constructor(env: Record<string, string>) {
        const base = { ...process.env };
        delete base.STUDIO_GCS_API_ENDPOINT;
        this.proc = fork(script, [], { env: { ...base, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        this.proc.on('message', (m: InstanceMessage) => {
            this.messages.push(m);
            if (m.ack !== undefined) {
                this.acked.push(m.ack);
            }
            this.listeners.forEach(l => l());
        });
        this.exited = new Promise((resolve, reject) => {
            this.proc.on('error', reject);
            // 'close', not 'exit': only then has every IPC message the child sent been delivered.
            this.proc.on('close', (code, signal) => {
                this.closed = true;
                resolve({ code, signal });
                this.listeners.forEach(l => l());
            });
        });
    }

    get pid(): number {
        return this.proc.pid!;
    }

    get logs(): string[] {
        return this.messages.filter(m => m.log).map(m => m.log!);
    }

    /** Resolves with the first message (past or future) that `match` accepts; rejects if the child exits first. */
    waitFor(match: (m: InstanceMessage) => boolean, what: string, within = 60_000): Promise<InstanceMessage> {
        return new Promise((resolve, reject) => {
            const check = () => {
                const found = this.messages.find(match);
                if (found) {
                    done();
                    resolve(found);
                } else if (this.closed) {
                    done();
                    reject(new Error(`The instance exited (${this.proc.exitCode ?? this.proc.signalCode}) before ${what}. Its log: ${this.logs.join(' | ')}`));
                }
            };
            const guard = setTimeout(() => {
                done();
                reject(new Error(`No ${what} within ${within} ms. Its log: ${this.logs.join(' | ')}`));
            }, within);
            const done = () => {
                clearTimeout(guard);
                this.listeners.delete(check);
            };
            this.listeners.add(check);
            check();
        });
    }

    async kill(): Promise<void> {
        this.proc.kill('SIGKILL');
        await this.exited;
    }

    /** SIGTERM: the child stops replication (final sync), closes and seals; resolves with its last status. */
    async stop(): Promise<ReplicationStatus | undefined> {
        this.proc.kill('SIGTERM');
        const stopped = await this.waitFor(m => m.stopped === true, 'a clean stop');
        await this.exited;
        return stopped.status;
    }
}
