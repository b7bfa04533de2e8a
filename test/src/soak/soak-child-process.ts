import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import type { SoakChildMessage, SoakParentMessage } from './soak-protocol';

const script = path.join(__dirname, 'soak-child.js');

/** What the child gets of the parent's environment: never a vendor key (no model is ever called), nor the demo's tasks. */
function childBaseEnv(): NodeJS.ProcessEnv {
    const env = { ...process.env };
    for (const key of Object.keys(env)) {
        if (/_API_KEY$/.test(key) || key === 'STUDIO_SECRETS_FILE' || key === 'STUDIO_DEMO_TASKS' || key === 'STUDIO_GCS_API_ENDPOINT') {
            delete env[key];
        }
    }
    return env;
}

/**
 * One soak child (soak-child.ts) as the parent sees it: every message kept, `until` to wait for
 * a state of them (never for a time), and its output kept for error messages. A guard SIGKILLs a
 * child that outlives `guardMs`, so a hung child fails the run instead of hanging it.
 */
export class SoakChildProcess {
    readonly messages: SoakChildMessage[] = [];
    readonly spawnedAt = performance.now();
    /** When the `started` message arrived. */
    startedAt: number | undefined;
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    protected readonly proc: ChildProcess;
    protected readonly listeners = new Set<() => void>();
    protected readonly output: string[] = [];
    protected exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

    constructor(env: Record<string, string>, guardMs = 300_000) {
        this.proc = fork(script, [], { env: { ...childBaseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
        for (const stream of [this.proc.stdout!, this.proc.stderr!]) {
            stream.setEncoding('utf8');
            stream.on('data', (chunk: string) => {
                this.output.push(...chunk.split('\n').filter(line => line.trim() !== ''));
                this.output.splice(0, Math.max(0, this.output.length - 40));
            });
        }
        this.proc.on('message', (m: SoakChildMessage) => {
            if (m.started) {
                this.startedAt = performance.now();
            }
            this.messages.push(m);
            this.listeners.forEach(l => l());
        });
        const guard = setTimeout(() => this.proc.kill('SIGKILL'), guardMs);
        this.exited = new Promise((resolve, reject) => {
            this.proc.on('error', reject);
            // 'close', not 'exit': only then has every IPC message the child sent been delivered.
            this.proc.on('close', (code, signal) => {
                clearTimeout(guard);
                this.exit = { code, signal };
                this.listeners.forEach(l => l());
                resolve(this.exit);
            });
        });
    }

    get acks(): NonNullable<SoakChildMessage['ack']>[] {
        return this.messages.filter(m => m.ack).map(m => m.ack!);
    }

    message<K extends keyof SoakChildMessage>(field: K): SoakChildMessage[K] | undefined {
        return this.messages.find(m => m[field] !== undefined)?.[field];
    }

    /** The child's last output lines and messages, for a failure's message. */
    describe(): string {
        return `last messages: ${JSON.stringify(this.messages.slice(-3))}; output: ${this.output.slice(-15).join(' | ')}`;
    }

    /** Resolves once `predicate` holds over the messages so far; rejects if the child fails or exits first. */
    until(predicate: () => boolean, what: string): Promise<void> {
        return new Promise((resolve, reject) => {
            const check = () => {
                const failed = this.message('failed');
                if (predicate()) {
                    this.listeners.delete(check);
                    resolve();
                } else if (failed || this.exit) {
                    this.listeners.delete(check);
                    reject(new Error(`The soak child ${failed ? `failed (${failed})` : `exited (code ${this.exit!.code}, signal ${this.exit!.signal})`} before ${what}; ${this.describe()}`));
                }
            };
            this.listeners.add(check);
            check();
        });
    }

    go(): void {
        const message: SoakParentMessage = { go: true };
        this.proc.send(message);
    }

    /** SIGKILL; resolves once the child is gone and every message it sent has arrived. */
    async kill(): Promise<void> {
        this.proc.kill('SIGKILL');
        await this.exited;
    }
}
