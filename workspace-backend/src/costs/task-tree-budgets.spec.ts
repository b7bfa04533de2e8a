import * as assert from 'node:assert/strict';
import type { CostTaskTree } from './cost-agents';
import { TaskTreeBudgets } from './task-tree-budgets';

describe('TaskTreeBudgets: a budget for a task and everything it delegates', () => {
    /** Tree 1 (tasks 1, 2, 3) with a $0.10 budget, tree 4 (4, 5) without one, tree 6 (6, 7) with one but ended. */
    const roots = new Map<number, { rootId: number; open: boolean; budgetPico?: bigint; taskIds: number[] }>([
        [1, { rootId: 1, open: true, budgetPico: 100_000_000_000n, taskIds: [1, 2, 3] }],
        [4, { rootId: 4, open: true, taskIds: [4, 5] }],
        [6, { rootId: 6, open: false, budgetPico: 1n, taskIds: [6, 7] }],
    ]);
    const rootOf = (taskId: number) => [...roots.values()].find(r => r.taskIds.includes(taskId));
    let treesRead: number[];
    let spendRead: number[][];
    let cancelled: string[];
    let spend: bigint;
    let budgets: TaskTreeBudgets;

    beforeEach(() => {
        treesRead = [];
        spendRead = [];
        cancelled = [];
        spend = 0n;
        budgets = new TaskTreeBudgets({
            spendOfTasks: taskIds => {
                spendRead.push([...taskIds]);
                return spend;
            },
        }, {
            taskTree: (taskId): CostTaskTree | undefined => {
                const root = rootOf(taskId);
                return root && {
                    rootId: root.rootId, open: root.open, budgetPico: root.budgetPico,
                    taskIds: () => {
                        treesRead.push(root.rootId);
                        return root.taskIds;
                    },
                };
            },
            cancelTaskTree: (rootId, reason) => cancelled.push(`#${rootId}: ${reason}`),
        });
    });

    it('reads a tree whole only when it has a budget and its root is open: once, however many of its tasks spent', () => {
        spend = 99_000_000_000n;
        budgets.evaluate([2, 3, 2, 5, 4, 7, undefined, 99]);
        assert.deepEqual(treesRead, [1]);
        assert.deepEqual(spendRead, [[1, 2, 3]]);
        assert.deepEqual(cancelled, []);
    });

    it('cancels the tree once its tasks together reach the budget, saying how much and by how many tasks', () => {
        spend = 100_000_000_000n;
        budgets.evaluate([3]);
        assert.deepEqual(cancelled, ['#1: the budget of $0.1000 for task #1 and the tasks it delegated is used up ($0.1000 spent by 3 tasks); give it again with a larger budget to go on']);
    });
});
