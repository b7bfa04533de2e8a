import type { ChangeSetSummary } from '../common/change-review-protocol';

/** One agent's change sets, as the Changes view lists them under the agent's name. */
export interface AgentChangeGroup {
    readonly agentId: string;
    /** Newest first. */
    readonly changeSets: readonly ChangeSetSummary[];
}

/** Newer first: the later created, and of two created at once the higher task number. */
function newestFirst(a: ChangeSetSummary, b: ChangeSetSummary): number {
    return b.createdAt - a.createdAt || b.taskId - a.taskId;
}

/**
 * The change sets grouped by agent: each group's change sets newest first, and the groups in the
 * order of their newest change set (the agent that changed something last comes first). A set
 * delegated from a listed task is not in a group: it is shown under that task (`subtasksByParent`).
 */
export function groupByAgent(changeSets: readonly ChangeSetSummary[]): AgentChangeGroup[] {
    const listed = new Set(changeSets.map(set => set.taskId));
    const byAgent = new Map<string, ChangeSetSummary[]>();
    for (const changeSet of [...changeSets].sort(newestFirst)) {
        if (changeSet.parentTaskId !== undefined && listed.has(changeSet.parentTaskId)) {
            continue;
        }
        const group = byAgent.get(changeSet.agentId);
        if (group) {
            group.push(changeSet);
        } else {
            byAgent.set(changeSet.agentId, [changeSet]);
        }
    }
    return [...byAgent].map(([agentId, sets]) => ({ agentId, changeSets: sets }));
}

/** The listed change sets delegated from each listed task, oldest first (the order they were handed out). */
export function subtasksByParent(changeSets: readonly ChangeSetSummary[]): Map<number, ChangeSetSummary[]> {
    const listed = new Set(changeSets.map(set => set.taskId));
    const byParent = new Map<number, ChangeSetSummary[]>();
    for (const changeSet of [...changeSets].sort((a, b) => a.taskId - b.taskId)) {
        if (changeSet.parentTaskId !== undefined && listed.has(changeSet.parentTaskId)) {
            const siblings = byParent.get(changeSet.parentTaskId) ?? [];
            siblings.push(changeSet);
            byParent.set(changeSet.parentTaskId, siblings);
        }
    }
    return byParent;
}
