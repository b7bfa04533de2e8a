import type { CostAgents } from '../costs/cost-agents';
import type { Orchestrator } from '../orchestrator/orchestrator';

/** The orchestrator as the costs' agent port: the costs sit below the orchestrator, so they meet here, in the composition root. */
export function costAgentsOf(orchestrator: Orchestrator): CostAgents {
    return {
        list: () => orchestrator.listAgents().map(a => ({ id: a.id, name: a.name, state: a.state })),
        pauseAfterStep: (agentId, reason) => orchestrator.pauseAgent(agentId, reason, { afterStep: true }),
        resume: (agentId, reason) => orchestrator.resumeAgent(agentId, reason),
        taskTitle: taskId => orchestrator.getTask(taskId)?.title,
        taskTree: taskId => {
            const root = orchestrator.taskTreeRoot(taskId);
            return root && {
                rootId: root.rootId, open: root.rootStatus === 'queued' || root.rootStatus === 'running', budgetPico: root.budgetPico,
                taskIds: () => orchestrator.taskTree(root.rootId)?.taskIds ?? [root.rootId],
            };
        },
        cancelTaskTree: (rootId, reason) => orchestrator.cancelTaskTree(rootId, reason),
        onUsageRecorded: listener => orchestrator.onEvent(event => {
            if (event.type === 'usage') {
                listener();
            }
        }),
    };
}
