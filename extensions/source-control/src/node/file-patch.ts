import { GitOperationError } from './git-failure';

/** A hunk header, `@@ -a,b +c,d @@` (the counts may be left out when 1). */
const HUNK_HEADER = /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/;

/**
 * A patch of one file for `git apply`: git's header for `relativePath`, which the caller has
 * confined to the workspace, followed by the given hunks.
 *
 * Invariant: the patch touches only `relativePath`. The hunks are checked line by line: each
 * section starts with a hunk header and holds only context, added and removed lines (and git's
 * "no newline" marker), so no file header of another path can be smuggled in with them.
 */
export function singleFilePatch(relativePath: string, hunks: string): string {
    const lines = hunks.split('\n');
    if (lines[lines.length - 1] === '') {
        lines.pop();
    }
    if (lines.length === 0 || !HUNK_HEADER.test(lines[0])) {
        throw new GitOperationError('The change to apply is not a unified-diff hunk (it must start with "@@ -a,b +c,d @@"); nothing was staged.');
    }
    for (const line of lines) {
        if (!HUNK_HEADER.test(line) && !/^[ +\-\\]/.test(line)) {
            throw new GitOperationError(`The change to apply has a line that is not part of a hunk ("${line.slice(0, 40)}"); nothing was staged.`);
        }
    }
    if (/[\t\n"\\]/.test(relativePath)) {
        // git would need such a name C-quoted in the header; stage the whole file instead.
        throw new GitOperationError(`"${relativePath}" has a tab, newline, quote or backslash in its name: stage or unstage the whole file instead of a change in it.`);
    }
    return `diff --git a/${relativePath} b/${relativePath}\n--- a/${relativePath}\n+++ b/${relativePath}\n${lines.join('\n')}\n`;
}
