import * as path from 'node:path';
import type { IShellTerminalServerOptions } from '@theia/terminal/lib/common/shell-terminal-protocol';
import { TerminalEnv } from '../../common/terminal-session-protocol';
import { CliLauncher, pathGuardCommand } from './cli-launcher';

export interface TerminalEnvironmentInput {
    launcher: CliLauncher;
    /** The terminal's own token. */
    token: string;
    /** The backend's URL as the shell reaches it, when known. */
    apiUrl?: string;
    /** What the terminal was asked to open with. */
    options: IShellTerminalServerOptions;
    /** The backend's environment, which a non-strict terminal inherits. */
    processEnv: NodeJS.ProcessEnv;
}

/**
 * The environment a studio terminal's shell starts with: its token, the backend's URL and the
 * `coditect` launcher's folder first on PATH.
 *
 * Theia starts the shell as a login shell (`-l`), and a login profile may set PATH outright
 * (Debian's /etc/profile does), dropping the folder. So the folder is put back after the profiles:
 * bash runs PROMPT_COMMAND before each prompt, and a POSIX sh (dash, bash as sh) sources the file
 * named by ENV when interactive. Whatever PROMPT_COMMAND or ENV the environment had still runs.
 */
export function terminalEnvironment({ launcher, token, apiUrl, options, processEnv }: TerminalEnvironmentInput): Record<string, string | null> {
    const inherited = (name: string): string | undefined => options.env?.[name] ?? (options.strictEnv ? undefined : processEnv[name]) ?? undefined;
    // A strict environment is the caller's whole environment: the CLI's PATH is added to theirs, not to the backend's.
    const basePath = inherited('PATH');
    const previousPromptCommand = inherited('PROMPT_COMMAND');
    const previousEnvFile = inherited('ENV');
    const guard = pathGuardCommand(launcher.folder);
    return {
        ...options.env,
        [TerminalEnv.token]: token,
        ...(apiUrl ? { [TerminalEnv.apiUrl]: apiUrl } : {}),
        PATH: basePath ? `${launcher.folder}${path.delimiter}${basePath}` : launcher.folder,
        PROMPT_COMMAND: previousPromptCommand ? `${guard}; ${previousPromptCommand}` : guard,
        ENV: launcher.pathGuard,
        ...(previousEnvFile && previousEnvFile !== launcher.pathGuard ? { CODITECT_PREVIOUS_ENV: previousEnvFile } : {}),
    };
}
