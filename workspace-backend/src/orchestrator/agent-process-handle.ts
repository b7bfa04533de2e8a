import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import type { FromAgent, ToAgent } from './agent-process/protocol';

const AgentProcessEntry = path.join(__dirname, 'agent-process', 'agent-main.js');

/**
 * One agent's child process, as the supervisor sees it. Why a process and not a worker thread:
 * a worker cannot be stopped while it runs native code or a tight loop short of terminating it
 * (which is not guaranteed to return), shares the backend's heap limits and crashes the backend
 * on a native fault; a child process can always be SIGKILLed, dies alone, and costs ~30 MB and
 * ~50 ms to fork, once per agent (not per task).
 *
 * The process sends a heartbeat twice a second; silence longer than `heartbeatTimeoutMs` means
 * its event loop is blocked (a hang), and the handle kills it.
 */
export class AgentProcess {
    protected readonly child: ChildProcess;
    protected lastSeen = Date.now();
    protected watchdog: NodeJS.Timeout;
    protected killReason: string | undefined;
    protected stderrTail = '';
    protected exited = false;

    constructor(
        readonly agentId: string,
        protected readonly onMessage: (message: FromAgent) => void,
        protected readonly onExit: (reason: string) => void,
        heartbeatTimeoutMs: number,
        entry: string = AgentProcessEntry,
    ) {
        this.child = fork(entry, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [], serialization: 'json' });
        this.child.stderr?.on('data', (chunk: Buffer) => {
            this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2000);
        });
        this.child.on('message', (message: FromAgent) => {
            this.lastSeen = Date.now();
            if (message.type !== 'heartbeat') {
                this.onMessage(message);
            }
        });
        this.child.on('error', () => undefined);
        this.child.on('exit', (code, signal) => {
            this.exited = true;
            clearInterval(this.watchdog);
            const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
            const tail = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
            this.onExit(this.killReason ?? `the agent process ${how}${tail ? `: ${tail}` : ''}`);
        });
        this.watchdog = setInterval(() => {
            const silent = Date.now() - this.lastSeen;
            if (silent > heartbeatTimeoutMs) {
                this.kill(`hung: the agent process sent no heartbeat for ${silent} ms (limit ${heartbeatTimeoutMs} ms)`);
            }
        }, Math.min(1000, Math.max(50, heartbeatTimeoutMs / 4)));
        this.watchdog.unref();
    }

    get pid(): number | undefined {
        return this.child.pid;
    }

    get alive(): boolean {
        return !this.exited;
    }

    send(message: ToAgent): void {
        if (!this.exited && this.child.connected) {
            this.child.send(message);
        }
    }

    /** SIGKILL: the one signal a hung process cannot ignore. `reason` is what the exit reports. */
    kill(reason: string): void {
        if (!this.exited) {
            this.killReason ??= reason;
            this.child.kill('SIGKILL');
        }
    }

    /** Resolves once the process is gone (killing it after `graceMs`). */
    async stop(graceMs = 1000): Promise<void> {
        if (this.exited) {
            return;
        }
        const gone = new Promise<void>(resolve => this.child.once('exit', () => resolve()));
        this.killReason ??= 'stopped by the backend';
        if (this.child.connected) {
            this.child.disconnect();
        }
        const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
        await gone;
        clearTimeout(timer);
    }
}
