import type { BusMessage, ChangeSetSummary, LockInfo, TaskInfo, WhoAmI, WorkflowRunInfo } from '../api-types';

/** A fixed local time, so clock texts are the same in every time zone: 10:42:13. */
export const tenFortyTwo = new Date(2025, 5, 2, 10, 42, 13).getTime();

export const ada: WhoAmI = { id: 'user:ada', displayName: 'Ada', kind: 'person', role: 'admin', via: 'terminal' };

export function lockInfo(overrides: Partial<LockInfo> = {}): LockInfo {
    return {
        id: 'lk_1', path: 'src/a.ts', mode: 'exclusive', owner: { id: 'agent:gemini', kind: 'agent', displayName: 'Gemini' },
        acquiredAt: tenFortyTwo - 60_000, expiresAt: tenFortyTwo, ttlMs: 60_000, ...overrides,
    };
}

export function taskInfo(overrides: Partial<TaskInfo> = {}): TaskInfo {
    return {
        id: 12, agentId: 'claude', prompt: 'Write the notes', title: 'Write the notes', priority: 0, status: 'running',
        attempts: 1, maxAttempts: 3, enqueuedAt: tenFortyTwo, ...overrides,
    };
}

export function busMessage(overrides: Partial<BusMessage> = {}): BusMessage {
    return { id: 7, topic: 'reviews', from: 'gemini', text: 'Looks good', at: tenFortyTwo, recipients: ['claude'], ...overrides };
}

export function changeSet(overrides: Partial<ChangeSetSummary> = {}): ChangeSetSummary {
    const file = { path: 'a.md', status: 'modified', origin: 'tool', added: 5, removed: 1, hunks: 1, review: 'pending', lastChangedAt: tenFortyTwo } as const;
    return {
        taskId: 12, agentId: 'claude', title: 'Write notes', taskStatus: 'done', review: 'pending', createdAt: tenFortyTwo, updatedAt: tenFortyTwo,
        added: 10, removed: 2, comments: 0, overlapsWith: [], files: [file, { ...file, path: 'b.md' }, { ...file, path: 'c.md' }], ...overrides,
    };
}

export function workflowRun(overrides: Partial<WorkflowRunInfo> = {}): WorkflowRunInfo {
    return {
        id: 3, name: 'code-review', description: 'Codex implements a change, Claude reviews it', input: 'Add --verbose', status: 'running',
        startedBy: 'user:ada', startedAt: tenFortyTwo,
        steps: [
            { id: 'implement', agent: 'codex', after: [], status: 'running' },
            { id: 'review', agent: 'claude', after: ['implement'], status: 'waiting' },
            { id: 'tests', agent: 'gemini', after: ['implement'], status: 'waiting' },
            { id: 'approve', agent: 'claude', after: ['review', 'tests'], status: 'waiting' },
        ],
        ...overrides,
    };
}
