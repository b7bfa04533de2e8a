import { ConfigError, resolveWorkspaceConfig } from '../config/workspace-config';
import { WorkspaceCore } from '../core/workspace-core';
import { CliCommand, CliError } from './cli-command';
import { formatHealth } from './format-health';

export const statusCommand: CliCommand = {
    name: 'status',
    summary: 'Start the core headless, print the health of every part, and exit (0 healthy, 1 degraded or down).',
    help: `Usage: coditect-workspace status [options]

Starts the workspace core headless, prints the health of every part, and exits:
0 when healthy, 1 when degraded or down.

Options:
  --workspace <dir>   The workspace folder (else $STUDIO_WORKSPACE; one of them is required, and if both
                      are given they must name the same folder)
  --data-dir <dir>    The data directory (default: $STUDIO_DATA_DIR, else ~/.coditect-studio/data)
  --json              Print JSON instead of text
  --quick-check       Also run SQLite's quick_check on every database (reads every page)
  -h, --help          Show this help

Environment: STUDIO_WORKSPACE, STUDIO_DATA_DIR, STUDIO_REPLICA_URL, STUDIO_GCS_API_ENDPOINT.
`,
    options: {
        'workspace': { type: 'string' },
        'data-dir': { type: 'string' },
        'json': { type: 'boolean', default: false },
        'quick-check': { type: 'boolean', default: false },
        'help': { type: 'boolean', short: 'h', default: false },
    },
    async run(values) {
        let core: WorkspaceCore;
        try {
            core = new WorkspaceCore(resolveWorkspaceConfig({
                workspaceDir: values.workspace as string | undefined, dataDir: values['data-dir'] as string | undefined, workspaceOption: '--workspace <dir>',
            }));
        } catch (error) {
            throw error instanceof ConfigError ? new CliError(error.message) : error;
        }
        try {
            await core.start();
            const health = values['quick-check'] ? await core.refreshHealth({ quickCheck: true }) : await core.health();
            process.stdout.write(values.json ? `${JSON.stringify(health, undefined, 2)}\n` : formatHealth(health));
            return health.status === 'ok' ? 0 : 1;
        } finally {
            await core.stop();
        }
    },
};
