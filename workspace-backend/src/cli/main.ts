#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/workspace-config';
import { changesCommand, revertCommand } from './changes-commands';
import { checkpointsCommand, rewindCommand } from './checkpoint-commands';
import { CliCommand, CliError, ExitCode } from './cli-command';
import { divergedCommand } from './diverged-command';
import { migrateCommand } from './migrate-command';
import { restoreCommand } from './restore-command';
import { snapshotCommand } from './snapshot-command';
import { statusCommand } from './status-command';
import { tokenCommand } from './token-command';
import { verifyCommand } from './verify-command';
import { exportCommand, importCommand, sessionsCommand, timelineRebuildCommand } from './timeline-commands';

const commands: CliCommand[] = [statusCommand, snapshotCommand, restoreCommand, verifyCommand, divergedCommand, importCommand, exportCommand, sessionsCommand, timelineRebuildCommand, changesCommand, revertCommand, checkpointsCommand, rewindCommand, tokenCommand, migrateCommand];

const usage = `coditect-workspace: the workspace core's operator tool

Usage:
  coditect-workspace <command> [options]
  coditect-workspace <command> --help

Commands:
${commands.map(c => `  ${c.name.padEnd(16)}  ${c.summary}`).join('\n')}

Exit codes: 0 done, 1 failed, 2 bad input, 3 refused because the studio appears to be running.

Environment: STUDIO_DATA_DIR, STUDIO_WORKSPACE, STUDIO_REPLICA_URL, STUDIO_GCS_API_ENDPOINT
(each command's --help says which it reads).
`;

export async function main(argv: string[]): Promise<number> {
    const name = argv[0];
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
        process.stdout.write(usage);
        return name === undefined ? ExitCode.usage : ExitCode.ok;
    }
    const command = commands.find(c => c.name === name);
    if (!command) {
        process.stderr.write(`Unknown command "${name}".\n\n${usage}`);
        return ExitCode.usage;
    }
    let values;
    let positionals: string[];
    try {
        ({ values, positionals } = parseArgs({ args: argv.slice(1), options: command.options, allowPositionals: command.positionals ?? false }));
    } catch (error) {
        process.stderr.write(`coditect-workspace ${name}: ${(error as Error).message}\n\n${command.help}`);
        return ExitCode.usage;
    }
    if (values.help) {
        process.stdout.write(command.help);
        return ExitCode.ok;
    }
    try {
        return await command.run(values, positionals);
    } catch (error) {
        if (error instanceof CliError || error instanceof ConfigError) {
            process.stderr.write(`coditect-workspace ${name}: ${error.message}\n`);
            return error instanceof CliError ? error.exitCode : ExitCode.usage;
        }
        throw error;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(code => process.exit(code), error => {
        process.stderr.write(`coditect-workspace: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(ExitCode.failed);
    });
}
