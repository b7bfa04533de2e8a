/**
 * A task as the change sets need it to roll delegated work up into the task that handed it over:
 * the orchestrator's task, of which only these fields are read (the changes sit below the
 * orchestrator and never import it; the composition root hands the tasks over).
 */
export interface DelegatedTask {
    readonly id: number;
    /** The task that handed this one over (a workflow's step: the step it follows). */
    readonly parentTaskId?: number;
    readonly agentId: string;
    readonly title: string;
    readonly status: string;
    /** Epoch ms. */
    readonly enqueuedAt: number;
}

/**
 * Delegation trees, whole (every root and everything under it), as `parentTaskId` links them.
 * A task whose parent is not among them counts as a root.
 */
export class TaskForest {
    protected readonly byId = new Map<number, DelegatedTask>();
    protected readonly children = new Map<number, number[]>();

    constructor(tasks: readonly DelegatedTask[]) {
        for (const task of [...tasks].sort((a, b) => a.id - b.id)) {
            this.byId.set(task.id, task);
        }
        for (const task of this.byId.values()) {
            if (task.parentTaskId !== undefined && this.byId.has(task.parentTaskId)) {
                const siblings = this.children.get(task.parentTaskId) ?? [];
                siblings.push(task.id);
                this.children.set(task.parentTaskId, siblings);
            }
        }
    }

    get taskIds(): number[] {
        return [...this.byId.keys()];
    }

    task(id: number): DelegatedTask | undefined {
        return this.byId.get(id);
    }

    /** The task it was delegated from, when that task is in the forest. */
    parentOf(id: number): number | undefined {
        const parent = this.byId.get(id)?.parentTaskId;
        return parent !== undefined && this.byId.has(parent) ? parent : undefined;
    }

    /** Everything delegated from the task, at any depth, in id order. */
    descendantsOf(id: number): number[] {
        const found: number[] = [];
        const pending = [...this.children.get(id) ?? []];
        for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
            found.push(next);
            pending.push(...this.children.get(next) ?? []);
        }
        return found.sort((a, b) => a - b);
    }

    /** The tasks above it, its parent first. */
    ancestorsOf(id: number): number[] {
        const found: number[] = [];
        for (let parent = this.parentOf(id); parent !== undefined; parent = this.parentOf(parent)) {
            found.push(parent);
        }
        return found;
    }
}
