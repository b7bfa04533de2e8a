/**
 * Polls `probe` until it gives a value (anything but undefined or false) and returns it; fails
 * naming `what` after `timeoutMs`. Generous by default: specs wait on real watchers and processes
 * on loaded machines, never for a fixed time. A probe may be async (reading a store); it is
 * awaited before the next poll, so two reads never overlap. `intervalMs` is shorter where the
 * state waited for is brief (an agent executing one scripted turn).
 */
export async function waitForValue<T>(
    what: string,
    probe: () => T | undefined | false | Promise<T | undefined | false>,
    timeoutMs = 60_000,
    intervalMs = 50,
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (; ;) {
        const value = await probe();
        if (value !== undefined && value !== false) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, intervalMs));
    }
}
