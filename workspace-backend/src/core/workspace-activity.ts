import type { Disposable } from '../common/emitter';
import type { WorkspaceCosts } from '../costs/workspace-costs';
import type { Orchestrator } from '../orchestrator/orchestrator';

/** What the workspace is doing, for whoever decides whether it may sleep (the fleet, through /health). */
export interface ActivityReport {
    readonly runningTasks: number;
    readonly queuedTasks: number;
    /** Agents with open tasks that a used-up budget holds paused: their work waits and keeps nothing awake. */
    readonly pausedByBudget: readonly string[];
    /** Whether open work keeps the workspace awake: a running or queued task of an agent no budget holds. */
    readonly working: boolean;
    /** Epoch ms: the agents' last event (a task queued, started or ended, a step, a state change), or the core's start. */
    readonly lastActivityAt: number;
}

/**
 * The agents' side of a workspace's activity (the studio adds its connections): open tasks, the
 * agents a budget holds, and when the agents last did anything. The rule "a running agent keeps
 * the workspace awake; an exhausted budget lets it sleep" is `working`.
 */
export class WorkspaceActivity implements Disposable {
    protected lastEventAt: number;
    protected readonly subscription: Disposable;

    constructor(protected readonly orchestrator: Orchestrator, protected readonly costs: () => WorkspaceCosts | undefined, protected readonly now: () => number = Date.now) {
        this.lastEventAt = now();
        this.subscription = orchestrator.onEvent(() => this.lastEventAt = this.now());
    }

    report(): ActivityReport {
        const open = this.orchestrator.openTaskCounts();
        const paused = new Set((this.costs()?.budgetStatuses() ?? []).flatMap(b => b.pausedAgents));
        let runningTasks = 0;
        let queuedTasks = 0;
        let working = false;
        for (const [agentId, count] of open) {
            runningTasks += count.running;
            queuedTasks += count.queued;
            working ||= !paused.has(agentId);
        }
        return { runningTasks, queuedTasks, pausedByBudget: [...open.keys()].filter(id => paused.has(id)).sort(), working, lastActivityAt: this.lastEventAt };
    }

    dispose(): void {
        this.subscription.dispose();
    }
}
