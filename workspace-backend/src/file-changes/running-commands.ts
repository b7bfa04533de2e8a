import type { LockOwner } from '../locks/lock-types';
import { AgentCommandRef, CommandLineCap } from './change-author';
import { agentIdOf } from '../policy/principal';

/** How long after a command exits its changes may still arrive (the watcher's delivery). */
export const DefaultCommandSettleMs = 1_500;

/** What the command runner tells the watcher about each agent command. */
export interface CommandActivity {
    /** Called as the command starts; the returned `end` as it exits (whatever the outcome). */
    started(command: { readonly owner: LockOwner; readonly taskId?: number; readonly command: string }): { end(): void };
}

interface Running {
    readonly ref: AgentCommandRef;
    endedAt?: number;
}

/**
 * The agents' commands running now, and those that ended less than the settle time ago.
 * Invariant: a command counts from `started` until `settleMs` after `end`; every one counting at
 * a moment is named (several agents may run commands at once, and a change cannot be told apart
 * between them).
 */
export class RunningCommands implements CommandActivity {
    protected readonly commands = new Set<Running>();

    constructor(protected readonly now: () => number = Date.now, protected readonly settleMs = DefaultCommandSettleMs) { }

    started(command: { readonly owner: LockOwner; readonly taskId?: number; readonly command: string }): { end(): void } {
        const line = command.command.length > CommandLineCap ? `${command.command.slice(0, CommandLineCap - 1)}…` : command.command;
        const running: Running = { ref: { agentId: agentIdOf(command.owner.id), taskId: command.taskId, command: line } };
        this.commands.add(running);
        return { end: () => { running.endedAt ??= this.now(); } };
    }

    /** The commands counting at `at`. */
    activeAt(at: number = this.now()): AgentCommandRef[] {
        const active: AgentCommandRef[] = [];
        for (const running of this.commands) {
            if (running.endedAt !== undefined && running.endedAt + this.settleMs < this.now()) {
                this.commands.delete(running);
            } else if (running.endedAt === undefined || running.endedAt + this.settleMs >= at) {
                active.push(running.ref);
            }
        }
        return active;
    }
}
