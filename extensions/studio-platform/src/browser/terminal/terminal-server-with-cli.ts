import type { IShellTerminalServer, IShellTerminalServerOptions } from '@theia/terminal/lib/common/shell-terminal-protocol';
import type { TerminalSessionService } from '../../common/terminal-session-protocol';

/**
 * Theia's shell terminal server, with `create` going through the studio's terminal sessions (the
 * terminal gets the `coditect` CLI and a token for this person; the backend keeps the token). The
 * rest is Theia's. Should the session service fail (the core not up yet), the terminal opens
 * without the CLI rather than not at all: the CLI then says what it is missing.
 */
export function terminalServerWithCli(server: IShellTerminalServer, sessions: TerminalSessionService, onFallback: (error: unknown) => void): IShellTerminalServer {
    const create = async (options: IShellTerminalServerOptions): Promise<number> => {
        try {
            return await sessions.createTerminal(options);
        } catch (error) {
            onFallback(error);
            return server.create(options);
        }
    };
    return new Proxy(server, {
        get: (target, property, receiver) => property === 'create' ? create : Reflect.get(target, property, receiver),
    });
}
