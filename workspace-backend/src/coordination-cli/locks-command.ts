import { ExitCode } from '../cli/cli-command';
import { ApiPath, LockInfo, LocksAnswer, LockWaiter } from './api-types';
import { pathText } from './command-arguments';
import { CoordinationCommand, jsonText } from './coordination-command';
import { alignedColumns, clockTime, durationText } from './text-format';

const ownerText = (owner: LockInfo['owner']) => `${owner.displayName} (${owner.id})`;

function lockRow(lock: LockInfo, now: number): string[] {
    const expiry = lock.expiresAt > now ? `expires in ${durationText(lock.expiresAt - now)}` : 'expired';
    const changed = lock.changedOutside ? `, changed by ${lock.changedOutside.by} at ${clockTime(lock.changedOutside.at)}` : '';
    return [pathText(lock.path), lock.mode, ownerText(lock.owner), `${expiry}${changed}`];
}

function waiterRow(waiter: LockWaiter, now: number): string[] {
    const until = waiter.deadline > now ? `waiting, gives up in ${durationText(waiter.deadline - now)}` : 'waiting';
    return [pathText(waiter.path), waiter.mode, ownerText(waiter.owner), until];
}

/** `src/a.ts  exclusive  Gemini (agent:gemini)  expires in 4m 10s`, one line per lock, then the requests waiting for one. */
export function formatLocks(answer: LocksAnswer, now: number): string[] {
    const waiters = answer.waiters ?? [];
    if (answer.locks.length === 0 && waiters.length === 0) {
        return ['No locks.'];
    }
    // One table, so waiters line up under the locks they wait for.
    const rows = [...answer.locks.map(lock => lockRow(lock, now)), ...waiters.map(waiter => waiterRow(waiter, now))];
    return answer.locks.length === 0 ? ['No locks.', ...alignedColumns(rows)] : alignedColumns(rows);
}

export const locksCommand: CoordinationCommand<{ json: boolean }> = {
    name: 'locks',
    summary: 'List the file locks held in the workspace, and who waits for one.',
    help: `Usage: coditect locks [--json]

Lists every lock held in the workspace: its path ((workspace) is the whole workspace; a folder
covers everything under it), its mode (exclusive or shared), who holds it and when it expires;
then the requests waiting for a lock. Agents take a lock before they write a file; take one
yourself with coditect lock <path>.
`,
    options: {},
    parse(values) {
        return { json: values.json === true };
    },
    async run({ json }, studio, print) {
        const answer = await studio.get<LocksAnswer>(ApiPath.locks);
        (json ? [jsonText(answer)] : formatLocks(answer, Date.now())).forEach(line => print(line));
        return ExitCode.ok;
    },
};
