import * as path from 'node:path';
import { RpcPolicy, WorkspaceCore } from '@coditect/workspace-backend';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ProcessManager } from '@theia/process/lib/node/process-manager';
import { IShellTerminalServer, IShellTerminalServerOptions } from '@theia/terminal/lib/common/shell-terminal-protocol';
import { TerminalSessionService } from '../../common/terminal-session-protocol';
import { StudioUserProvider } from '../studio-user-provider';
import { WorkspaceCoreHost } from '../workspace-core-host';
import { BackendUrl } from './backend-url';
import { CliLauncher, writeCliLauncher } from './cli-launcher';
import { terminalEnvironment } from './terminal-environment';

export const TerminalSessionServicePolicy: RpcPolicy<TerminalSessionServiceImpl> = { createTerminal: 'terminal.open', dispose: 'connection' };

/** The `coditect` launcher, written once per backend. */
let launcher: CliLauncher | undefined;

/**
 * One per browser connection. Each terminal gets a token of its own for the connection's person
 * (TerminalTokens in the core), revoked when its shell exits, and the `coditect` launcher first
 * on its PATH, so the CLI acts as the person at the keyboard and as nobody else.
 */
@injectable()
export class TerminalSessionServiceImpl implements TerminalSessionService {

    @inject(IShellTerminalServer) protected readonly shells: IShellTerminalServer;
    @inject(ProcessManager) protected readonly processes: ProcessManager;
    @inject(StudioUserProvider) protected readonly users: StudioUserProvider;
    @inject(WorkspaceCoreHost) protected readonly coreHost: WorkspaceCoreHost;
    @inject(BackendUrl) protected readonly backendUrl: BackendUrl;

    async createTerminal(options: IShellTerminalServerOptions): Promise<number> {
        const core = await this.coreHost.ready;
        const issued = core.terminalTokens.issue(this.users.currentUser());
        let id = -1;
        try {
            id = await this.shells.create({ ...options, env: this.environment(core, issued.token, options) });
        } finally {
            const shell = id >= 0 ? this.processes.get(id) : undefined;
            if (shell && !shell.killed) {
                shell.onExit(() => core.terminalTokens.revoke(issued.id));
            } else {
                core.terminalTokens.revoke(issued.id);
            }
        }
        return id;
    }

    protected environment(core: WorkspaceCore, token: string, options: IShellTerminalServerOptions): Record<string, string | null> {
        launcher ??= writeCliLauncher(path.join(core.config.dataDir, 'bin'));
        return terminalEnvironment({ launcher, token, apiUrl: this.backendUrl.value, options, processEnv: process.env });
    }

    dispose(): void {
        // Terminals outlive a browser connection (they reconnect); their tokens end with their shells.
    }
}
