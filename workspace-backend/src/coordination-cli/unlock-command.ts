import { CliError, ExitCode } from '../cli/cli-command';
import { ApiPath, LockInfo, LocksAnswer, WhoAmI } from './api-types';
import { lockPath, noMoreArguments, pathText } from './command-arguments';
import { CoordinationCommand, jsonText } from './coordination-command';

export interface UnlockArgs {
    /** What was typed: a lock id or a path. */
    readonly target: string;
    readonly json: boolean;
}

/**
 * The locks `target` means: the one with that id (whoever holds it: the studio decides whether the caller may
 * end it), else the caller's own locks on that path. Throws, naming the caller's locks, when there is none.
 */
export function locksToRelease(target: string, locks: readonly LockInfo[], me: WhoAmI): LockInfo[] {
    const byId = locks.find(lock => lock.id === target);
    if (byId) {
        return [byId];
    }
    const path = lockPath(target);
    const mine = locks.filter(lock => lock.owner.id === me.id);
    const onPath = mine.filter(lock => lock.path === path);
    if (onPath.length > 0) {
        return onPath;
    }
    const others = locks.filter(lock => lock.path === path).map(lock => `${lock.owner.displayName} (${lock.owner.id})`);
    const heldBy = others.length > 0 ? ` (${others.join(', ')} ${others.length > 1 ? 'hold' : 'holds'} it)` : '';
    const yours = mine.length > 0 ? mine.map(lock => `${pathText(lock.path)} (${lock.mode})`).join(', ') : 'none';
    throw new CliError(`You hold no lock on ${pathText(path)}${heldBy}; your locks: ${yours}.`, ExitCode.failed);
}

export const unlockCommand: CoordinationCommand<UnlockArgs> = {
    name: 'unlock',
    summary: 'Release a lock you hold, by its path or its id.',
    positionals: true,
    help: `Usage: coditect unlock <path-or-lock-id> [--json]

Releases the lock you hold on a workspace path (every one of yours on it), or the lock with that id
(coditect locks --json shows the ids). With --json, prints the locks it released.
`,
    options: {},
    parse(values, positionals) {
        const [target, ...rest] = positionals;
        if (target === undefined) {
            throw new CliError('Name the path (or lock id) to unlock: coditect unlock src/a.ts.');
        }
        noMoreArguments(rest, `unlock ${target}`);
        return { target, json: values.json === true };
    },
    async run({ target, json }, studio, print) {
        const [me, { locks }] = await Promise.all([studio.get<WhoAmI>(ApiPath.whoami), studio.get<LocksAnswer>(ApiPath.locks)]);
        const released = locksToRelease(target, locks, me);
        for (const lock of released) {
            await studio.delete(`${ApiPath.locks}/${encodeURIComponent(lock.id)}`);
        }
        // A delete answers 204 without a body: --json prints what was released.
        if (json) {
            print(jsonText({ released }));
        } else {
            released.forEach(lock => print(`Unlocked ${pathText(lock.path)} (${lock.mode}).`));
        }
        return ExitCode.ok;
    },
};
