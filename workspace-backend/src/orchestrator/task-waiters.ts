import type { TaskInfo } from './task-repository';

/**
 * Who waits for a task to end (`TaskLedger.waitFor`; a delegating task is one): each waiter
 * is settled once, with the ended row, or drops out when its signal aborts, rejected with its reason.
 */
export class TaskWaiters {
    protected readonly waiters = new Map<number, ((task: TaskInfo) => void)[]>();

    wait(taskId: number, signal?: AbortSignal): Promise<TaskInfo> {
        return new Promise((resolve, reject) => {
            const list = this.waiters.get(taskId) ?? [];
            const waiter = (t: TaskInfo) => resolve(t);
            list.push(waiter);
            this.waiters.set(taskId, list);
            signal?.addEventListener('abort', () => {
                this.waiters.set(taskId, (this.waiters.get(taskId) ?? []).filter(w => w !== waiter));
                reject(signal.reason);
            }, { once: true });
        });
    }

    /** Called once the task's end is recorded: every waiter gets that row. */
    settle(taskId: number, ended: TaskInfo): void {
        const waiters = this.waiters.get(taskId) ?? [];
        this.waiters.delete(taskId);
        waiters.forEach(w => w(ended));
    }
}
