import * as fs from 'node:fs';
import * as path from 'node:path';

/** The compiled `coditect` CLI of the workspace core package. */
const cliEntry = (): string => path.join(path.dirname(require.resolve('@coditect/workspace-backend/package.json')), 'lib', 'coordination-cli', 'main.js');

/** Where the terminals find the `coditect` CLI. */
export interface CliLauncher {
    /** The folder holding the `coditect` launcher, for the terminals' PATH. */
    folder: string;
    /** A POSIX shell script that puts `folder` back in front of PATH when it is missing (see terminal-environment.ts). */
    pathGuard: string;
}

/**
 * Writes `<folder>/coditect`, a shell launcher that runs the CLI with this backend's Node, and the
 * PATH guard the terminals' shells run at start-up. Rewritten at every start, so they always name
 * the Node, CLI and folder of the running studio (an image update moves them).
 */
export function writeCliLauncher(folder: string): CliLauncher {
    fs.mkdirSync(folder, { recursive: true });
    writeAtomically(path.join(folder, 'coditect'), `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(cliEntry())} "$@"\n`, 0o755);
    const pathGuard = path.join(folder, 'coditect-path.sh');
    writeAtomically(pathGuard, [
        '# Sourced by the studio\'s terminal shells after their profiles (which may set PATH outright).',
        pathGuardCommand(folder),
        // The ENV file the environment had before the studio's, still run.
        'if [ -n "${CODITECT_PREVIOUS_ENV-}" ]; then . "$CODITECT_PREVIOUS_ENV"; fi',
        '',
    ].join('\n'), 0o644);
    return { folder, pathGuard };
}

/** A POSIX shell command that puts `folder` first on PATH unless PATH has it. */
export const pathGuardCommand = (folder: string): string => `case ":$PATH:" in *:${shellQuote(folder)}:*) ;; *) PATH=${shellQuote(folder)}:"$PATH";; esac`;

/** `text` as one word for sh: in single quotes, each of its own single quotes closed, escaped and reopened. */
export const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

function writeAtomically(file: string, text: string, mode: number): void {
    fs.writeFileSync(`${file}.tmp`, text, { mode });
    fs.renameSync(`${file}.tmp`, file);
}
