import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** What one run of the operator CLI printed, and how it ended. */
export interface CliRun {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

const cliMain = path.join(__dirname, '..', 'main.js');

/**
 * Runs `coditect-workspace <args>` as its own process, as an operator would. The replica, data
 * directory, workspace folder and GCS endpoint of this process's environment are left out, so a run sees only what
 * `args` and `env` give it.
 */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
        const base = { ...process.env };
        delete base.STUDIO_REPLICA_URL;
        delete base.STUDIO_DATA_DIR;
        delete base.STUDIO_GCS_API_ENDPOINT;
        delete base.STUDIO_WORKSPACE;
        const child = spawn(process.execPath, [cliMain, ...args], { env: { ...base, ...env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', d => stdout += d);
        child.stderr.on('data', d => stderr += d);
        child.on('error', reject);
        child.on('close', code => resolve({ code, stdout, stderr }));
    });
}
