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
 * order of their newest change set (the agent that changed something last comes first).
 */
export function groupByAgent(changeSets: readonly ChangeSetSummary[]): AgentChangeGroup[] {
    const byAgent = new Map<string, ChangeSetSummary[]>();
    for (const changeSet of [...changeSets].sort(newestFirst)) {
        const group = byAgent.get(changeSet.agentId);
        if (group) {
            group.push(changeSet);
        } else {
            byAgent.set(changeSet.agentId, [changeSet]);
        }
    }
    return [...byAgent].map(([agentId, sets]) => ({ agentId, changeSets: sets }));
}
