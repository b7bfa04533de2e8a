import { CliError, ExitCode } from '../cli/cli-command';
import { ApiPath, LockInfo } from './api-types';
import { durationOption, lockPath, noMoreArguments, pathText } from './command-arguments';
import { CoordinationCommand, jsonText } from './coordination-command';
import { RequestTimeoutMs } from './studio-client';
import { clockTime, shellWord } from './text-format';

/** A person in a terminal does not renew a lease, so theirs is long; they end it with `coditect unlock`. */
export const DefaultTerminalTtlMs = 30 * 60_000;

export interface LockArgs {
    readonly path: string;
    readonly mode: 'exclusive' | 'shared';
    readonly waitMs?: number;
    readonly ttlMs: number;
    readonly json: boolean;
}

/** `Locked src/a.ts (exclusive) until 10:42:13; unlock it with: coditect unlock src/a.ts`. */
export function formatLocked(lock: LockInfo): string {
    return `Locked ${pathText(lock.path)} (${lock.mode}) until ${clockTime(lock.expiresAt)}; unlock it with: coditect unlock ${shellWord(lock.path === '' ? '.' : lock.path)}`;
}

export const lockCommand: CoordinationCommand<LockArgs> = {
    name: 'lock',
    summary: 'Lock a file or folder so agents leave it alone while you work on it.',
    positionals: true,
    help: `Usage: coditect lock <path> [--shared] [--wait <duration>] [--ttl <duration>] [--json]

Takes a lock on a workspace file or folder (relative to the workspace folder; "." is the whole
workspace) in your name. An exclusive lock (the default) keeps every agent from writing there; a
shared lock lets others read-lock it too. Agents that need the path wait until you unlock it.

Options:
  --shared            Take a shared (read) lock instead of an exclusive one
  --wait <duration>   If someone else holds a conflicting lock, wait this long for it (default: the studio's)
  --ttl <duration>    Let the lock end by itself after this long (default 30m)

Durations: 30s, 5m, 2h, or a number of milliseconds.
`,
    options: { shared: { type: 'boolean' }, wait: { type: 'string' }, ttl: { type: 'string' } },
    parse(values, positionals) {
        const [path, ...rest] = positionals;
        if (path === undefined) {
            throw new CliError('Name the file or folder to lock: coditect lock src/a.ts.');
        }
        noMoreArguments(rest, `lock ${path}`);
        return {
            path: lockPath(path), mode: values.shared === true ? 'shared' : 'exclusive',
            waitMs: durationOption(values, 'wait', true), ttlMs: durationOption(values, 'ttl') ?? DefaultTerminalTtlMs, json: values.json === true,
        };
    },
    async run({ json, ...request }, studio, print) {
        // The studio holds the request open while it waits for the lock: the time limit grows by that wait.
        const lock = await studio.post<LockInfo>(ApiPath.locks, request, { timeoutMs: RequestTimeoutMs + (request.waitMs ?? 0) });
        print(json ? jsonText(lock) : formatLocked(lock));
        return ExitCode.ok;
    },
};
