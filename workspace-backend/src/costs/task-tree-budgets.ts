import type { CostAgents, CostTaskTree } from './cost-agents';
import type { LedgerRepository } from './ledger-repository';
import { formatUsd } from './money';

/**
 * A budget for a task and everything it delegates: the root task's `budgetUsd`, checked against
 * the ledger's spend of the whole tree each time one of its tasks spends. Past it, every
 * unfinished task of the tree is cancelled, with the reason, so a delegation fan-out cannot run
 * away with the workspace's money.
 *
 * Invariants:
 * - Only priced spend counts (as for every budget); the check runs after the entries are in the
 *   ledger, so the step that crossed the limit is paid for and recorded, and nothing after it runs.
 * - A tree is stopped once: a cancelled root is no longer open, so later entries (the cancelled
 *   steps' last usage) do not cancel it again.
 * - Each spending task costs one short read (its tree's root); only a tree with a budget is read
 *   whole, with its spend.
 */
export class TaskTreeBudgets {
    constructor(protected readonly ledger: Pick<LedgerRepository, 'spendOfTasks'>, protected readonly agents: Pick<CostAgents, 'taskTree' | 'cancelTaskTree'>) { }

    /** Checks the trees of the tasks that just spent. */
    evaluate(taskIds: Iterable<number | undefined>): void {
        const trees = new Map<number, CostTaskTree>();
        for (const taskId of new Set(taskIds)) {
            const tree = taskId === undefined ? undefined : this.agents.taskTree(taskId);
            if (tree?.open && tree.budgetPico !== undefined) {
                trees.set(tree.rootId, tree);
            }
        }
        for (const tree of trees.values()) {
            const taskIds = tree.taskIds();
            const spent = this.ledger.spendOfTasks(taskIds);
            if (spent >= tree.budgetPico!) {
                this.agents.cancelTaskTree(tree.rootId, `the budget of ${formatUsd(tree.budgetPico!)} for task #${tree.rootId} and the tasks it delegated is used up `
                    + `(${formatUsd(spent)} spent by ${taskIds.length} task${taskIds.length === 1 ? '' : 's'}); give it again with a larger budget to go on`);
            }
        }
    }
}
