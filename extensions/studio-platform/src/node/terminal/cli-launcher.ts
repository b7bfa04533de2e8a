import * as fs from 'node:fs';
import * as path from 'node:path';

/** The compiled `coditect` CLI of the workspace core package. */
const cliEntry = (): string => path.join(path.dirname(require.resolve('@coditect/workspace-backend/package.json')), 'lib', 'coordination-cli', 'main.js');

/**
 * Writes `<folder>/coditect`, a shell launcher that runs the CLI with this backend's Node, and
 * returns the folder for the terminals' PATH. Rewritten at every start, so it always names the
 * Node and CLI of the running studio (an image update moves both).
 */
export function writeCliLauncher(folder: string): string {
    fs.mkdirSync(folder, { recursive: true });
    const launcher = path.join(folder, 'coditect');
    fs.writeFileSync(`${launcher}.tmp`, `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(cliEntry())} "$@"\n`, { mode: 0o755 });
    fs.renameSync(`${launcher}.tmp`, launcher);
    return folder;
}

/** `text` as one word for sh: in single quotes, each of its own single quotes closed, escaped and reopened. */
export const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
