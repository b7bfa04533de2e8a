#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { CliError, ExitCode, out } from '../cli/cli-command';
import { busCommand } from './bus-command';
import { changesCommand } from './changes-command';
import { CommandOptions, CoordinationCommand } from './coordination-command';
import { lockCommand } from './lock-command';
import { locksCommand } from './locks-command';
import { sendCommand } from './send-command';
import { StudioEnvironmentError, studioFromEnvironment } from './studio-environment';
import { taskCommand } from './task-command';
import { tasksCommand } from './tasks-command';
import { unlockCommand } from './unlock-command';
import { whoamiCommand } from './whoami-command';
import { workflowCommand } from './workflow-command';

// Invariant: this module and everything it loads import nothing of the core but types, cli-command and
// workflow-types (which load nothing): `coditect` starts fast and never opens a database.
const commands: readonly CoordinationCommand[] = [
    whoamiCommand, locksCommand, lockCommand, unlockCommand, tasksCommand, taskCommand, sendCommand, busCommand, changesCommand, workflowCommand,
];

/** Every command takes these besides its own. */
const commonOptions: CommandOptions = { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } };

export const usage = `coditect: coordinate with the studio's agents from this terminal

Usage:
  coditect <command> [arguments] [options]
  coditect <command> --help

Commands:
${commands.map(c => `  ${c.name.padEnd(9)}  ${c.summary}`).join('\n')}

Every command takes --json: print the studio's answer as JSON instead of text.
Exit codes: 0 done, 1 failed (the studio refused, or does not answer), 2 bad input.

Environment (the studio sets both in every terminal it opens):
  CODITECT_API_URL   The studio's address, e.g. http://127.0.0.1:3000
  CODITECT_TOKEN     This terminal's token: who you are to the studio (keep it to yourself)
`;

/** `coditect <argv...>` with `env` as its environment; prints to stdout and stderr and resolves to the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    const name = argv[0];
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
        const topic = name === 'help' ? commands.find(c => c.name === argv[1]) : undefined;
        process.stdout.write(topic ? topic.help : usage);
        return name === undefined ? ExitCode.usage : ExitCode.ok;
    }
    const command = commands.find(c => c.name === name);
    if (!command) {
        process.stderr.write(`${name.startsWith('-') ? `Unknown option "${name}"` : `Unknown command "${name}"`}.\n\n${usage}`);
        return ExitCode.usage;
    }
    let values;
    let positionals: string[];
    try {
        ({ values, positionals } = parseArgs({ args: argv.slice(1), options: { ...command.options, ...commonOptions }, allowPositionals: command.positionals ?? false }));
    } catch (error) {
        process.stderr.write(`coditect ${name}: ${(error as Error).message}\n\n${command.help}`);
        return ExitCode.usage;
    }
    if (values.help) {
        process.stdout.write(command.help);
        return ExitCode.ok;
    }
    const label = command.subcommands?.includes(positionals[0]) ? `${name} ${positionals[0]}` : name;
    try {
        // The command line first: a mistake in it is said even where the studio is not reachable.
        const args = command.parse(values, positionals);
        return await command.run(args, studioFromEnvironment(env), out);
    } catch (error) {
        return report(error, label);
    }
}

/** Every failure as one sentence on stderr, never a stack trace; the token is in none of them. */
function report(error: unknown, label: string): number {
    if (error instanceof StudioEnvironmentError) {
        process.stderr.write(`${error.message}\n`);
        return error.exitCode;
    }
    if (error instanceof CliError) {
        process.stderr.write(`coditect ${label}: ${error.message}\n`);
        return error.exitCode;
    }
    process.stderr.write(`coditect ${label}: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.failed;
}

if (require.main === module) {
    // `coditect bus subscribe '*' | head -3`: the reader leaving is the end of the output, not a failure.
    process.stdout.on('error', error => process.exit((error as NodeJS.ErrnoException).code === 'EPIPE' ? ExitCode.ok : ExitCode.failed));
    main(process.argv.slice(2)).then(code => process.exit(code), error => {
        process.stderr.write(`coditect: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(ExitCode.failed);
    });
}
