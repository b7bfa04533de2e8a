import type { ParseArgsConfig } from 'node:util';

/** Exit codes every command keeps to. */
export const ExitCode = {
    ok: 0,
    /** The operation ran and failed (verify found damage, restore had nothing to restore from). */
    failed: 1,
    /** Bad input: unknown option, command or database name; replication switched off. */
    usage: 2,
    /** Refused for safety: the studio appears to be running against this data or replica. */
    refused: 3,
} as const;

/** An error whose message is for the operator as it stands: what was wrong and what to do. */
export class CliError extends Error {
    constructor(message: string, readonly exitCode: number = ExitCode.usage) {
        super(message);
        this.name = 'CliError';
    }
}

export type CliValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** One `coditect-workspace <name>` command: its own options, help and behaviour. */
export interface CliCommand {
    readonly name: string;
    /** One line for the command list. */
    readonly summary: string;
    /** The full `--help` text. */
    readonly help: string;
    readonly options: NonNullable<ParseArgsConfig['options']>;
    /** Takes arguments that are not options (`import <file>`). */
    readonly positionals?: boolean;
    run(values: CliValues, positionals?: string[]): Promise<number>;
}

export function formatBytes(bytes: number): string {
    return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;
}

export const out = (line: string) => process.stdout.write(`${line}\n`);

/**
 * A whole-number option (`--limit 20`), undefined when not given; anything else than a whole number of
 * at least `min` (default 1) is the operator's mistake, said with `what` it must be.
 */
export function integerOption(values: CliValues, name: string, min = 1, what = 'positive whole number'): number | undefined {
    const text = values[name] as string | undefined;
    if (text === undefined) {
        return undefined;
    }
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min) {
        throw new CliError(`--${name} must be a ${what}; got "${text}".`);
    }
    return n;
}
