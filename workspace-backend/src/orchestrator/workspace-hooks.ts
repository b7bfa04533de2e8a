import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where a workspace's hooks are set, in the shape of Claude Code's settings (`hooks` by event, then matchers). */
export const HooksFile = '.coditect/settings.json';

/** When hooks run: before a tool call (a failing one refuses the call), after it, and when the agent says it is done. */
export const HookEvents = ['PreToolUse', 'PostToolUse', 'Stop'] as const;
export type HookEvent = typeof HookEvents[number];

export interface HookCommand {
    readonly command: string;
    readonly timeoutMs: number;
}

interface HookMatcher {
    /** Tool names it applies to (a regular expression over the whole name); absent, `""` or `"*"`: every tool. */
    readonly matcher?: RegExp;
    readonly hooks: readonly HookCommand[];
}

export type HookSettings = Readonly<Record<HookEvent, readonly HookMatcher[]>>;

const DefaultTimeoutSeconds = 60;
const MaxTimeoutSeconds = 600;

const noHooks: HookSettings = { PreToolUse: [], PostToolUse: [], Stop: [] };

/**
 * Reads `hooks` from the settings file's text; throws an Error saying what is wrong and how to
 * write it. The shape is Claude Code's:
 * `{ "hooks": { "PostToolUse": [ { "matcher": "edit_file|write_file", "hooks": [ { "type": "command", "command": "npm run lint", "timeout": 60 } ] } ] } }`.
 */
export function parseHookSettings(text: string): HookSettings {
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (error) {
        throw new Error(`${HooksFile} is not valid JSON (${(error as Error).message}).`, { cause: error });
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new Error(`${HooksFile} must be a JSON object.`);
    }
    const hooks = (raw as { hooks?: unknown }).hooks;
    if (hooks === undefined) {
        return noHooks;
    }
    if (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks)) {
        throw new Error(`"hooks" in ${HooksFile} must be an object with ${HookEvents.join(', ')}.`);
    }
    const settings: Record<HookEvent, HookMatcher[]> = { PreToolUse: [], PostToolUse: [], Stop: [] };
    for (const [event, matchers] of Object.entries(hooks)) {
        if (!HookEvents.includes(event as HookEvent)) {
            throw new Error(`"hooks.${event}" in ${HooksFile} is not an event; the events are ${HookEvents.join(', ')}.`);
        }
        if (!Array.isArray(matchers)) {
            throw new Error(`"hooks.${event}" in ${HooksFile} must be a list of { "matcher", "hooks" }.`);
        }
        settings[event as HookEvent] = matchers.map((entry, i) => parseMatcher(entry, `hooks.${event}[${i}]`));
    }
    return settings;
}

function parseMatcher(entry: unknown, where: string): HookMatcher {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw new Error(`"${where}" in ${HooksFile} must be an object with "hooks" (and "matcher" for tool events).`);
    }
    const { matcher, hooks } = entry as { matcher?: unknown; hooks?: unknown };
    if (matcher !== undefined && typeof matcher !== 'string') {
        throw new Error(`"${where}.matcher" in ${HooksFile} must be a tool name or a pattern such as "edit_file|write_file".`);
    }
    let pattern: RegExp | undefined;
    if (matcher && matcher !== '*') {
        try {
            pattern = new RegExp(`^(?:${matcher})$`);
        } catch (error) {
            throw new Error(`"${where}.matcher" in ${HooksFile} is not a valid pattern (${(error as Error).message}).`, { cause: error });
        }
    }
    if (!Array.isArray(hooks) || hooks.length === 0) {
        throw new Error(`"${where}.hooks" in ${HooksFile} must be a list of { "type": "command", "command": "…" }.`);
    }
    return {
        matcher: pattern,
        hooks: hooks.map((hook, i) => {
            const { type, command, timeout } = (hook ?? {}) as { type?: unknown; command?: unknown; timeout?: unknown };
            if (type !== 'command' || typeof command !== 'string' || command.trim() === '') {
                throw new Error(`"${where}.hooks[${i}]" in ${HooksFile} must be { "type": "command", "command": "…" }.`);
            }
            if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0) || timeout > MaxTimeoutSeconds)) {
                throw new Error(`"${where}.hooks[${i}].timeout" in ${HooksFile} must be a number of seconds, at most ${MaxTimeoutSeconds}.`);
            }
            return { command, timeoutMs: (timeout as number | undefined ?? DefaultTimeoutSeconds) * 1000 };
        }),
    };
}

/**
 * The workspace's hooks as `.coditect/settings.json` sets them, read again when the file changes
 * (its mtime and size). A file that cannot be read as hooks runs no hook, and `problem` says why.
 */
export class WorkspaceHooks {
    protected cache: { readonly stamp: string; readonly settings: HookSettings; readonly problem?: string } | undefined;

    constructor(protected readonly workspaceDir: string) { }

    /** The hook commands for `event` (and, for tool events, the tool), in the file's order. */
    hooksFor(event: HookEvent, toolName?: string): { readonly hooks: readonly HookCommand[]; readonly problem?: string } {
        const { settings, problem } = this.read();
        const hooks = settings[event].filter(m => !m.matcher || (toolName !== undefined && m.matcher.test(toolName))).flatMap(m => m.hooks);
        return { hooks, problem };
    }

    protected read(): { settings: HookSettings; problem?: string } {
        const file = path.join(this.workspaceDir, HooksFile);
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        const stamp = stat ? `${stat.mtimeMs}:${stat.size}` : 'none';
        if (this.cache?.stamp !== stamp) {
            try {
                this.cache = { stamp, settings: stat ? parseHookSettings(fs.readFileSync(file, 'utf8')) : noHooks };
            } catch (error) {
                this.cache = { stamp, settings: noHooks, problem: `${(error as Error).message} No hook runs until it is fixed.` };
            }
        }
        return this.cache;
    }
}
