import { CliError, CliValues } from '../cli/cli-command';

const msPerUnit: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration option: `30s`, `5m`, `2h`, or a whole number of milliseconds. Anything else is the
 * caller's mistake, named by its option. `allowZero` is for waits (0: fail at once); a lease of 0 is never meant.
 */
export function parseDuration(text: string, option: string, allowZero = false): number {
    const match = /^(\d+)([smh]?)$/.exec(text.trim());
    const ms = match ? Number(match[1]) * (match[2] ? msPerUnit[match[2]] : 1) : NaN;
    if (!Number.isSafeInteger(ms) || (ms === 0 && !allowZero)) {
        const zero = match && ms === 0 ? ' longer than 0' : '';
        throw new CliError(`--${option} must be a duration${zero} such as 30s, 5m, 2h or a number of milliseconds; got "${text}".`);
    }
    return ms;
}

export function durationOption(values: CliValues, option: string, allowZero = false): number | undefined {
    const text = values[option] as string | undefined;
    return text === undefined ? undefined : parseDuration(text, option, allowZero);
}

/** A whole number that may be negative or zero (a priority), undefined when not given. */
export function wholeNumberOption(values: CliValues, option: string): number | undefined {
    const text = values[option] as string | undefined;
    if (text === undefined) {
        return undefined;
    }
    const n = Number(text);
    if (text.trim() === '' || !Number.isSafeInteger(n)) {
        throw new CliError(`--${option} must be a whole number (higher goes first); got "${text}".`);
    }
    return n;
}

/**
 * An agent as people name it: `@claude`, `claude`, or `agent:claude` as the lock list shows it; the API takes
 * the bare id. `example` is the command line that shows how to name one.
 */
export function agentId(text: string | undefined, example: string): string {
    const id = (text ?? '').replace(/^@/, '').replace(/^agent:/, '');
    if (id === '' || /\s/.test(id)) {
        throw new CliError(text === undefined ? `Name the agent: ${example}.` : `"${text}" is not an agent's id; name it like this: ${example}.`);
    }
    return id;
}

/** The words after the command, joined as they were typed; `what` and `example` say what was missing. */
export function wordsText(words: readonly string[], what: string, example: string): string {
    const text = words.join(' ').trim();
    if (text === '') {
        throw new CliError(`Say ${what}: ${example}.`);
    }
    return text;
}

/**
 * A workspace-relative lock path as the API keeps it ('/'-separated, no `./`, no trailing '/'); `.` is the whole
 * workspace, which the API calls ''.
 */
export function lockPath(text: string): string {
    const path = text.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
    if (path.startsWith('/')) {
        throw new CliError(`Name the path relative to the workspace folder (e.g. src/a.ts), not "${text}".`);
    }
    return path === '.' ? '' : path;
}

/** How a lock path reads: '' is the whole workspace. */
export function pathText(path: string): string {
    return path === '' ? '(workspace)' : path;
}

/** Refuses arguments a command does not take, naming them. */
export function noMoreArguments(rest: readonly string[], command: string): void {
    if (rest.length > 0) {
        throw new CliError(`${command} takes no more arguments; got "${rest.join(' ')}".`);
    }
}

/** Refuses options that belong to another subcommand (parseArgs accepts every option of the command). */
export function refuseOptions(values: CliValues, options: readonly string[], subcommand: string): void {
    const given = options.filter(option => values[option] !== undefined && values[option] !== false);
    if (given.length > 0) {
        throw new CliError(`${given.map(o => `--${o}`).join(', ')} ${given.length > 1 ? 'are' : 'is'} not an option of ${subcommand}.`);
    }
}
