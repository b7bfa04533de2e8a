import type { TaskInfo } from '../common/orchestrator-protocol';

/** A task as a row of the queue's tree: how deep it sits under the tasks that delegated it. */
export interface TaskTreeRow {
    readonly task: TaskInfo;
    /** 0 for a task a person gave; 1 for one it delegated, and so on. */
    readonly depth: number;
}

/**
 * The tasks of one section as a tree: each delegated task right after the task that delegated it
 * (or after the sibling that came before it) when that task is in the same section, else in its
 * own place; depth counts the whole chain of delegating tasks, wherever they are.
 */
export function taskTree(section: readonly TaskInfo[], all: readonly TaskInfo[]): TaskTreeRow[] {
    const byId = new Map(all.map(task => [task.id, task]));
    const depthOf = (task: TaskInfo): number => {
        let depth = 0;
        const seen = new Set<number>();
        for (let parent = task.parentTaskId; parent !== undefined && !seen.has(parent); parent = byId.get(parent)?.parentTaskId) {
            seen.add(parent);
            depth++;
        }
        return depth;
    };
    const inSection = new Set(section.map(task => task.id));
    const children = new Map<number, TaskInfo[]>();
    for (const task of section) {
        if (task.parentTaskId !== undefined && inSection.has(task.parentTaskId)) {
            children.set(task.parentTaskId, [...children.get(task.parentTaskId) ?? [], task]);
        }
    }
    const rows: TaskTreeRow[] = [];
    const visit = (task: TaskInfo) => {
        rows.push({ task, depth: depthOf(task) });
        (children.get(task.id) ?? []).forEach(visit);
    };
    section.filter(task => task.parentTaskId === undefined || !inSection.has(task.parentTaskId)).forEach(visit);
    return rows;
}
