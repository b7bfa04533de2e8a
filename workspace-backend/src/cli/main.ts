#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, resolveWorkspaceConfig } from '../config/workspace-config';
import { WorkspaceCore } from '../core/workspace-core';
import { formatHealth } from './format-health';

const usage = `coditect-workspace: the workspace core's operator tool

Usage:
  coditect-workspace <command> [options]

Commands:
  status        Start the core headless, print the health of every part, and exit.
                Exits 0 when healthy, 1 when degraded or down.

Options:
  --workspace <dir>   The workspace folder (default: $STUDIO_WORKSPACE, else the current folder)
  --data-dir <dir>    The data directory (default: $STUDIO_DATA_DIR, else ~/.coditect-studio/data)
  --json              Print JSON instead of text
  --quick-check       Also run SQLite's quick_check on every database (reads every page)
  -h, --help          Show this help
`;

export async function main(argv: string[]): Promise<number> {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                'workspace': { type: 'string' },
                'data-dir': { type: 'string' },
                'json': { type: 'boolean', default: false },
                'quick-check': { type: 'boolean', default: false },
                'help': { type: 'boolean', short: 'h', default: false },
            },
        });
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n\n${usage}`);
        return 2;
    }
    const { values, positionals } = parsed;
    const command = positionals[0];
    if (values.help || command === undefined || command === 'help') {
        process.stdout.write(usage);
        return values.help || command === 'help' ? 0 : 2;
    }
    if (command !== 'status') {
        process.stderr.write(`Unknown command "${command}".\n\n${usage}`);
        return 2;
    }
    let core: WorkspaceCore;
    try {
        core = new WorkspaceCore(resolveWorkspaceConfig({ workspaceDir: values.workspace, dataDir: values['data-dir'] }));
    } catch (error) {
        if (error instanceof ConfigError) {
            process.stderr.write(`coditect-workspace: ${error.message}\n`);
            return 2;
        }
        throw error;
    }
    try {
        await core.start();
        const health = values['quick-check'] ? await core.refreshHealth({ quickCheck: true }) : await core.health();
        process.stdout.write(values.json ? `${JSON.stringify(health, undefined, 2)}\n` : formatHealth(health));
        return health.status === 'ok' ? 0 : 1;
    } finally {
        await core.stop();
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(code => process.exit(code), error => {
        process.stderr.write(`coditect-workspace: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
    });
}
