/** What `watchEventLoop` saw: how often its timer fired, and the longest the loop went without it. */
export interface EventLoopReport {
    readonly ticks: number;
    readonly longestGapMs: number;
    readonly elapsedMs: number;
}

/**
 * Watches the event loop while something runs. A call that blocks the loop (a query on the main
 * thread) shows as one gap at least as long as the call; a loaded machine only delays each timer
 * by a scheduling slice. So "the loop stayed responsive during a 400 ms query" is asserted as
 * "no gap of 400 ms", which holds at any load, rather than as a tick count, which a loaded machine
 * lowers (8 ticks of 10 ms in 513 ms were seen at a load of 15).
 */
export function watchEventLoop(intervalMs = 10): { stop(): EventLoopReport } {
    const started = performance.now();
    let last = started;
    let longestGapMs = 0;
    let ticks = 0;
    const timer = setInterval(() => {
        const now = performance.now();
        longestGapMs = Math.max(longestGapMs, now - last);
        last = now;
        ticks++;
    }, intervalMs);
    return {
        stop: () => {
            clearInterval(timer);
            const now = performance.now();
            return { ticks, longestGapMs: Math.max(longestGapMs, now - last), elapsedMs: now - started };
        },
    };
}
