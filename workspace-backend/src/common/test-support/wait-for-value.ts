/**
 * Polls `probe` until it gives a value (anything but undefined or false) and returns it; fails
 * naming `what` after `timeoutMs`. Generous by default: specs wait on real watchers and processes
 * on loaded machines, never for a fixed time.
 */
export async function waitForValue<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (; ;) {
        const value = probe();
        if (value !== undefined && value !== false) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, 50));
    }
}
