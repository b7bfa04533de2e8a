import type { DestinationStream, Logger } from 'pino';
import { maskSecrets, secretValuesOf } from '../policy/secrets';
import { activeTraceIds } from './tracing';

/** More secret values the logs must never show (the provider keys an admin set in the studio): added by their owners. */
const secretSources = new Set<() => readonly string[]>();

/** Masks what `source` lists in every log line from now on, until disposed. */
export function maskInLogs(source: () => readonly string[]): { dispose(): void } {
    secretSources.add(source);
    return { dispose: () => secretSources.delete(source) };
}

function secretsNow(): string[] {
    return [...secretValuesOf(process.env), ...[...secretSources].flatMap(source => {
        try {
            return source();
        } catch {
            return [];
        }
    })];
}

/** Masks strings anywhere in a log line's fields (an error's message and stack included). */
function masked(value: unknown, secrets: readonly string[], depth = 0): unknown {
    if (typeof value === 'string') {
        return maskSecrets(value, secrets);
    }
    if (value instanceof Error) {
        return { type: value.name, message: maskSecrets(value.message, secrets), ...(value.stack ? { stack: maskSecrets(value.stack, secrets) } : {}) };
    }
    if (value && typeof value === 'object' && depth < 4) {
        return Array.isArray(value)
            ? value.map(item => masked(item, secrets, depth + 1))
            : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, masked(item, secrets, depth + 1)]));
    }
    return value;
}

/** What a part that is handed a log writes to: the messages, with fields first (a pino logger is one). */
export interface StructuredLog {
    info(fields: object, message: string): void;
    warn(fields: object, message: string): void;
    error(fields: object, message: string): void;
}

/**
 * A service's log (the workspace core's, the fleet's): one JSON object per line on stdout (pino), with the time, the level,
 * the component and, inside a trace, its `trace_id` and `span_id`, so a line leads to its trace.
 * Every string in a line (the message, the fields, an error's stack) goes through the policy's
 * masker first: a provider key, a token or anything shaped like one is `***` before it is written.
 */
export function createStudioLogger(options: { readonly service?: string; readonly destination?: DestinationStream } = {}): Logger {
    // Loaded at the first logger, not at import: processes that never log (most CLI commands) do not pay for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pino = require('pino') as typeof import('pino');
    return pino({
        base: { service: options.service ?? 'coditect-studio' },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: label => ({ level: label }) },
        mixin: () => activeTraceIds() ?? {},
        hooks: {
            logMethod(args, method) {
                const secrets = secretsNow();
                method.apply(this, args.map(arg => masked(arg, secrets)) as Parameters<typeof method>);
            },
        },
    }, options.destination ?? pino.destination({ dest: 1, sync: true }));
}

let root: Logger | undefined;

/** The log of one component of the core (`database`, `agents`, `changes`, ...). */
export function logFor(component: string): Logger {
    root ??= createStudioLogger();
    return root.child({ component });
}

/**
 * The first line of a service's log output (`output`, as read so far) whose `event` is `event`,
 * parsed; undefined until it has come. For whatever starts a service and must learn what it said
 * (the port it serves on).
 */
export function logEventOf(output: string, event: string): Record<string, unknown> | undefined {
    for (const line of output.split('\n')) {
        try {
            const entry = JSON.parse(line) as Record<string, unknown>;
            if (entry?.event === event) {
                return entry;
            }
        } catch {
            // Not a whole JSON line (yet): the rest of it comes with the next chunk.
        }
    }
    return undefined;
}
