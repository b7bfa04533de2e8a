import type { IShellTerminalServerOptions } from '@theia/terminal/lib/common/shell-terminal-protocol';

export const TERMINAL_SESSION_PATH = '/services/coditect/terminal-session';

/** The environment variables every studio terminal gets for the `coditect` CLI. */
export const TerminalEnv = {
    /** The studio backend's base URL, as the terminal's shell reaches it. */
    apiUrl: 'CODITECT_API_URL',
    /** The terminal's own token: the person who opened it, on the studio's HTTP APIs, until the terminal exits. */
    token: 'CODITECT_TOKEN',
} as const;

export const TerminalSessionService = Symbol('TerminalSessionService');

/**
 * Opens the studio's terminals, one connection's person at a time: the shell's environment gets a
 * token for that person and the `coditect` CLI on its PATH. The token stays in the backend and the
 * shell; the browser only receives the terminal's id.
 */
export interface TerminalSessionService {
    /** Theia's `IShellTerminalServer.create`, with the CLI's environment added: the terminal id, or -1. */
    createTerminal(options: IShellTerminalServerOptions): Promise<number>;
}
