import { ContainerModule } from '@theia/core/shared/inversify';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { ILogger } from '@theia/core/lib/common/logger';
import { IShellTerminalServer, shellTerminalPath, ShellTerminalServerProxy } from '@theia/terminal/lib/common/shell-terminal-protocol';
import { TerminalWatcher } from '@theia/terminal/lib/common/terminal-watcher';
import { TERMINAL_SESSION_PATH, TerminalSessionService } from '../../common/terminal-session-protocol';
import { terminalServerWithCli } from './terminal-server-with-cli';

/** Every terminal the studio opens is created through the terminal sessions: the `coditect` CLI and its token are in it. */
export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    bind(TerminalSessionService).toDynamicValue(ctx => ServiceConnectionProvider.createProxy<TerminalSessionService>(ctx.container, TERMINAL_SESSION_PATH)).inSingletonScope();
    rebind(ShellTerminalServerProxy).toDynamicValue(ctx => {
        const server = ServiceConnectionProvider.createProxy<IShellTerminalServer>(ctx.container, shellTerminalPath, ctx.container.get(TerminalWatcher).getTerminalClient());
        const logger = ctx.container.get<ILogger>(ILogger);
        return terminalServerWithCli(server, ctx.container.get(TerminalSessionService),
            error => logger.warn(`the terminal opens without the coditect CLI: ${error instanceof Error ? error.message : String(error)}`));
    }).inSingletonScope();
});
