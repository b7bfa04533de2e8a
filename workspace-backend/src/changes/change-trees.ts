import type { ChangeFileRow, ChangeSetRepository, ChangeSetRow } from './change-set-repository';
import type { ChangeSetSummary, ChangeTreeRollup, ReviewState } from './change-set-types';
import { combinedReview } from './review-states';
import { DelegatedTask, TaskForest } from './task-forest';

/** What a change set's file adds to its tree's figures (line counts are counted once and kept; see ChangeSets). */
export interface FileFigures {
    counts(row: ChangeFileRow): { readonly added: number; readonly removed: number };
    review(row: ChangeFileRow): ReviewState;
}

/**
 * The delegation trees some change sets are in, read once: which of their tasks have a change set,
 * and those sets' files. Rolls each task's sub-tasks' changes up into it (a child's change set
 * into its parent's, at any depth), and lists a task that changed nothing itself for what the
 * tasks it delegated changed (a workflow's lead that only hands work out).
 */
export class ChangeTrees {

    /** The trees of these tasks; undefined when none of them is in one (or nothing says how tasks were delegated). */
    static read(repo: ChangeSetRepository, delegation: ((taskIds: readonly number[]) => readonly DelegatedTask[]) | undefined,
        figures: FileFigures, taskIds: readonly number[]): ChangeTrees | undefined {
        const tasks = delegation?.(taskIds) ?? [];
        if (!tasks.some(task => task.parentTaskId !== undefined)) {
            return undefined;
        }
        const forest = new TaskForest(tasks);
        const sets = new Map(repo.setsOf(forest.taskIds).map(set => [set.task_id, set]));
        const files = new Map<number, ChangeFileRow[]>();
        for (const row of repo.filesOf([...sets.keys()])) {
            const list = files.get(row.task_id) ?? [];
            list.push(row);
            files.set(row.task_id, list);
        }
        return new ChangeTrees(forest, sets, files, figures);
    }

    protected constructor(
        protected readonly forest: TaskForest,
        protected readonly sets: ReadonlyMap<number, ChangeSetRow>,
        protected readonly files: ReadonlyMap<number, readonly ChangeFileRow[]>,
        protected readonly figures: FileFigures,
    ) { }

    /** The tasks delegated from this one (at any depth) that have a change set, oldest first. */
    subtasksWithChanges(taskId: number): number[] {
        return this.forest.descendantsOf(taskId).filter(id => this.sets.has(id));
    }

    /**
     * A page of change sets (newest first) with their trees: each says the task it was delegated
     * from and rolls up what was delegated from it. A task that changed nothing itself is listed
     * (with `listParents`) just before its newest sub-task that did: once, on that sub-task's page,
     * and a page still ends with its oldest change set (the next page starts below it).
     */
    withTrees(summaries: readonly ChangeSetSummary[], listParents: boolean): ChangeSetSummary[] {
        const listed: ChangeSetSummary[] = [];
        for (const summary of summaries) {
            const parents = listParents ? this.forest.ancestorsOf(summary.taskId).reverse() : [];
            for (const parent of parents) {
                if (!this.sets.has(parent) && this.subtasksWithChanges(parent).at(-1) === summary.taskId) {
                    listed.push(this.listedForTree(parent));
                }
            }
            listed.push(this.withTree(summary));
        }
        return listed;
    }

    withTree<S extends ChangeSetSummary>(summary: S): S {
        const parentTaskId = this.forest.parentOf(summary.taskId);
        return {
            ...summary,
            ...(parentTaskId !== undefined ? { parentTaskId } : {}),
            ...(this.subtasksWithChanges(summary.taskId).length > 0 ? { tree: this.rollupOf(summary.taskId) } : {}),
        };
    }

    /** A task that changed nothing itself, as listed for what its sub-tasks changed (some of them did). */
    listedForTree(taskId: number): ChangeSetSummary {
        const task = this.forest.task(taskId)!;
        const tree = this.rollupOf(taskId);
        const parentTaskId = this.forest.parentOf(taskId);
        return {
            taskId, agentId: task.agentId, title: task.title, taskStatus: task.status, review: tree.review,
            createdAt: task.enqueuedAt, updatedAt: Math.max(...tree.subtaskIds.map(id => this.sets.get(id)!.updated_at)),
            added: 0, removed: 0, comments: 0, overlapsWith: [], files: [],
            ...(parentTaskId !== undefined ? { parentTaskId } : {}), tree,
        };
    }

    rollupOf(taskId: number): ChangeTreeRollup {
        const subtaskIds = this.subtasksWithChanges(taskId);
        const rows = [taskId, ...subtaskIds].flatMap(id => this.files.get(id) ?? []);
        const counts = rows.map(row => this.figures.counts(row));
        return {
            subtaskIds, files: new Set(rows.map(row => row.path)).size,
            added: counts.reduce((sum, c) => sum + c.added, 0), removed: counts.reduce((sum, c) => sum + c.removed, 0),
            review: combinedReview(rows.map(row => this.figures.review(row))),
        };
    }
}
