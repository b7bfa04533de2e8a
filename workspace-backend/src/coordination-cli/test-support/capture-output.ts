/** What a run printed, and its exit code. */
export interface CapturedRun {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs `body` with stdout and stderr captured (not shown); they are restored however it ends. */
export async function captureOutput(body: () => Promise<number>): Promise<CapturedRun> {
    const writeOut = process.stdout.write;
    const writeErr = process.stderr.write;
    let stdout = '';
    let stderr = '';
    process.stdout.write = ((chunk: string | Uint8Array) => (stdout += String(chunk), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => (stderr += String(chunk), true)) as typeof process.stderr.write;
    try {
        const code = await body();
        return { code, stdout, stderr };
    } finally {
        process.stdout.write = writeOut;
        process.stderr.write = writeErr;
    }
}
