import type { ParseArgsConfig } from 'node:util';
import type { CliValues } from '../cli/cli-command';
import type { StudioClient } from './studio-client';

/** Prints one line of a command's answer (stdout). */
export type Print = (line: string) => void;

export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * One `coditect <name>` command. Invariant: `parse` reads only the command line (no network, no
 * environment), so every mistake in it is reported with exit 2 before coditect needs the studio;
 * `run` talks to the studio and throws `CliError`s whose message stands on its own.
 */
export interface CoordinationCommand<Args = unknown> {
    readonly name: string;
    /** One line for the command list. */
    readonly summary: string;
    /** The full `--help` text. */
    readonly help: string;
    /** Its own options; main adds `--json` and `--help` to every command. */
    readonly options: CommandOptions;
    /** Takes arguments that are not options. */
    readonly positionals?: boolean;
    /** Its subcommands (`bus subscribe`), named first among the positionals. */
    readonly subcommands?: readonly string[];
    parse(values: CliValues, positionals: string[]): Args;
    run(args: Args, studio: StudioClient, print: Print): Promise<number>;
}

/** The API's answer as `--json` prints it: pretty, as the studio sent it. */
export function jsonText(body: unknown): string {
    return JSON.stringify(body, undefined, 2);
}
