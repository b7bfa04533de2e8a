/**
 * Runs the work it is given one at a time, in the order given: each starts once the one before
 * it has settled, whether it resolved or failed (a failure reaches only its own caller).
 */
export class SerialQueue {
    protected tail: Promise<unknown> = Promise.resolve();

    run<T>(work: () => Promise<T>): Promise<T> {
        const run = this.tail.then(work);
        this.tail = run.catch(() => undefined);
        return run;
    }
}
