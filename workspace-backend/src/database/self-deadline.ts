import { Worker } from 'node:worker_threads';

/**
 * A deadline a process enforces on itself, from a watchdog thread: at the deadline the thread
 * SIGKILLs the whole process. Used by a console write worker, whose deadline must hold even when
 * its parent cannot act: the studio's writer may be waiting on its own thread for the very write
 * lock this process holds, so the parent's timer would not fire until too late. A thread of this
 * process keeps running while its main thread is deep in SQLite's native loop.
 *
 * Invariant: the watchdog sleeps on a shared counter; arming or disarming bumps the counter and
 * wakes it, so a stale deadline never fires.
 */
export class SelfDeadline {
    protected readonly state = new Int32Array(new SharedArrayBuffer(8));
    protected watchdog: Worker | undefined;

    /** Kill this process in `ms` unless disarmed first. */
    arm(ms: number): void {
        this.watchdog ??= this.startWatchdog();
        Atomics.store(this.state, 1, Math.max(1, Math.round(ms)));
        Atomics.add(this.state, 0, 1);
        Atomics.notify(this.state, 0);
    }

    disarm(): void {
        Atomics.store(this.state, 1, 0);
        Atomics.add(this.state, 0, 1);
        Atomics.notify(this.state, 0);
    }

    protected startWatchdog(): Worker {
        const watchdog = new Worker(`
const { workerData } = require('node:worker_threads');
const state = new Int32Array(workerData);
for (;;) {
    const generation = Atomics.load(state, 0);
    const ms = Atomics.load(state, 1);
    const woke = Atomics.wait(state, 0, generation, ms > 0 ? ms : Infinity);
    if (woke === 'timed-out' && ms > 0 && Atomics.load(state, 0) === generation) {
        process.kill(process.pid, 'SIGKILL');
    }
}`, { eval: true, workerData: this.state.buffer });
        watchdog.unref();
        return watchdog;
    }
}
