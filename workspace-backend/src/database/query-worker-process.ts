import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import { QueryWorkerArgs } from './query-worker-protocol';

/** The compiled query-worker-main.js: by default beside this file (also right when a bundler emits it as an entry beside the backend bundle). */
function queryWorkerEntry(entry?: string): string {
    return entry ?? path.join(__dirname, 'query-worker-main.js');
}

/** Starts one query worker process on one database file: `entry`, by default the pool's (query-worker-main.ts). */
export function forkQueryWorker(args: QueryWorkerArgs, entry?: string): ChildProcess {
    return fork(queryWorkerEntry(entry), [args.file, String(args.busyTimeoutMs), args.mode ?? 'read', args.synchronous ?? 'FULL'], {
        serialization: 'advanced',
        execArgv: [],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
}

/** SIGKILL: the only signal a process stuck in native code cannot put off. Resolves once it is gone. */
export function killQueryWorker(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve();
    }
    return new Promise(resolve => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
    });
}
