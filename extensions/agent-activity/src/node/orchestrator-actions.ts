import type { Orchestrator, TaskInfo } from '@coditect/workspace-backend';

/** Every agent's tasks (queued, running, then up to `finishedLimit` finished each): what the Task Queue and `coditect tasks` list. */
export function tasksOfEveryAgent(orchestrator: Orchestrator, finishedLimit: number): TaskInfo[] {
    return orchestrator.listAgents().flatMap(agent => orchestrator.listTasks(agent.id, finishedLimit));
}
