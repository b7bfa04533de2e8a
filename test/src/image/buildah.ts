import { spawn, SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';

export interface CommandResult {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs a command to its end. Output is kept (and copied to `logFile` when given); a non-zero exit
 * is an error carrying the command and the tail of its output, unless `allowFailure`.
 */
export function runCommand(command: string, args: readonly string[], options: SpawnOptions & {
    logFile?: string; allowFailure?: boolean; onLine?: (line: string) => void;
} = {}): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
        const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
        let stdout = '';
        let stderr = '';
        let partial = '';
        const lines = (chunk: Buffer) => {
            if (options.onLine) {
                const text = partial + chunk.toString();
                const complete = text.split('\n');
                partial = complete.pop() ?? '';
                complete.forEach(options.onLine);
            }
        };
        child.stdout!.on('data', chunk => { stdout += chunk; log?.write(chunk); lines(chunk); });
        child.stderr!.on('data', chunk => { stderr += chunk; log?.write(chunk); lines(chunk); });
        child.once('error', error => reject(new Error(`${command} could not start: ${error.message}`)));
        child.once('close', code => {
            log?.end();
            if (code !== 0 && !options.allowFailure) {
                const tail = (stderr || stdout).trim().split('\n').slice(-25).join('\n');
                reject(new Error(`${command} ${args.join(' ')} exited with ${code}${options.logFile ? ` (log: ${options.logFile})` : ''}:\n${tail}`));
                return;
            }
            resolve({ code, stdout, stderr });
        });
    });
}

/** buildah with the project's isolation: chroot, the only one that works on these machines (no Docker, no user namespaces). */
export function buildah(args: readonly string[], options: Parameters<typeof runCommand>[2] = {}): Promise<CommandResult> {
    return runCommand('buildah', args, options);
}

export async function imageExists(reference: string): Promise<boolean> {
    return (await buildah(['inspect', '--type', 'image', '--format', '{{.FromImageID}}', reference], { allowFailure: true })).code === 0;
}
