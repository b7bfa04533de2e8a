import { spawn } from 'node:child_process';
import type { CommandSandbox } from './command-sandbox';

/**
 * Runs a process in its own group, killing the whole group at the time limit or on abort; output
 * capped. For a command in bubblewrap the group is bwrap's: its death takes the sandbox's whole
 * PID namespace with it (`--die-with-parent`), including processes that left the group.
 */
export function runProcess(file: string, args: string[], cwd: string, timeoutMs: number, signal: AbortSignal, cap: number, sandbox?: CommandSandbox):
    Promise<{ output: string; code: number | null; timedOut: boolean }> {
    return new Promise((resolve, reject) => {
        const child = spawn(file, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...sandbox });
        let output = '';
        let truncated = false;
        let timedOut = false;
        const take = (chunk: Buffer) => {
            if (output.length < cap) {
                output += chunk.toString('utf8');
                if (output.length > cap) {
                    output = output.slice(0, cap);
                    truncated = true;
                }
            } else {
                truncated = true;
            }
        };
        child.stdout.on('data', take);
        child.stderr.on('data', take);
        const kill = () => {
            try {
                process.kill(-child.pid!, 'SIGKILL');
            } catch {
                child.kill('SIGKILL');
            }
        };
        const timer = setTimeout(() => {
            timedOut = true;
            kill();
        }, timeoutMs);
        const onAbort = () => kill();
        signal.addEventListener('abort', onAbort, { once: true });
        child.on('error', error => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            reject(error);
        });
        child.on('close', code => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            resolve({ output: output + (truncated ? `\n... (output capped at ${cap} bytes)` : ''), code, timedOut });
        });
    });
}
