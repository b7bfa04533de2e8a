/**
 * The studio's coordination API as this client reads it: the answers of `/coditect/api/...`.
 * Types only (and the paths): the CLI must load without the core, so nothing here runs core code.
 */
import type { ChangeSetSummary } from '../changes/change-set-types';
import type { LockInfo, LockWaiter } from '../locks/lock-types';
import type { BusMessage } from '../orchestrator/bus-store';
import type { TaskInfo } from '../orchestrator/task-repository';
import type { WorkflowCatalog } from '../orchestrator/workflow-definition';
import type { WorkflowRunInfo } from '../orchestrator/workflow-types';

export type { BusMessage, ChangeSetSummary, LockInfo, LockWaiter, TaskInfo, WorkflowRunInfo };

export const ApiPath = {
    whoami: '/coditect/api/whoami',
    locks: '/coditect/api/locks',
    tasks: '/coditect/api/tasks',
    busMessages: '/coditect/api/bus/messages',
    changes: '/coditect/api/changes',
    workflows: '/coditect/api/workflows',
} as const;

/** Who the terminal's token stands for. */
export interface WhoAmI {
    readonly id: string;
    readonly displayName: string;
    readonly kind: 'person' | 'agent';
    readonly role?: string;
    /** How the request proved who it is: a terminal's token, an agent token, or a person's sign-in (session, local token, JWT). */
    readonly via: 'terminal' | 'agent-token' | 'sign-in';
}

export interface LocksAnswer {
    readonly locks: readonly LockInfo[];
    readonly waiters: readonly LockWaiter[];
}

export interface TasksAnswer {
    readonly tasks: readonly TaskInfo[];
}

export interface BusMessagesAnswer {
    /** Oldest first. */
    readonly messages: readonly BusMessage[];
}

export interface ChangesAnswer {
    readonly changeSets: readonly ChangeSetSummary[];
}

/** The workspace's workflows (those that cannot run are in `problems`) and their runs. */
export interface WorkflowsAnswer extends WorkflowCatalog {
    readonly runs: readonly WorkflowRunInfo[];
}
