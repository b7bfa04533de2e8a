import { nls } from '@theia/core/lib/common/nls';
import type { ChangeHunk } from '../common/change-review-protocol';

/** The lines a unified diff removes and adds, by their 1-based line number in the old and the new text. */
export interface DiffLines {
    readonly removed: ReadonlyMap<number, string>;
    readonly added: ReadonlyMap<number, string>;
}

/** What a hunk row shows: the removed and added lines (at most `maxLines` of each) and how many more there are. */
export interface HunkPreview {
    readonly removed: readonly string[];
    readonly added: readonly string[];
    readonly moreRemoved: number;
    readonly moreAdded: number;
}

const hunkHeader = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * The removed and added lines of a unified diff (as `diff`'s createTwoFilesPatch writes it), by
 * line number. The file headers before the first `@@` are skipped; inside a section its counts
 * say where it ends, so a removed line reading `-- x` is never taken for a header.
 */
export function parseUnifiedDiff(diff: string): DiffLines {
    const removed = new Map<number, string>();
    const added = new Map<number, string>();
    let oldLine = 0;
    let newLine = 0;
    let oldLeft = 0;
    let newLeft = 0;
    for (const line of diff.split(/\r?\n/)) {
        if (oldLeft === 0 && newLeft === 0) {
            const header = hunkHeader.exec(line);
            if (header) {
                oldLine = Number(header[1]);
                oldLeft = header[2] === undefined ? 1 : Number(header[2]);
                newLine = Number(header[3]);
                newLeft = header[4] === undefined ? 1 : Number(header[4]);
            }
            continue;
        }
        if (line.startsWith('-')) {
            removed.set(oldLine++, line.slice(1));
            oldLeft--;
        } else if (line.startsWith('+')) {
            added.set(newLine++, line.slice(1));
            newLeft--;
        } else if (line.startsWith(' ') || line === '') {
            oldLine++;
            newLine++;
            oldLeft--;
            newLeft--;
        }
        // `\ No newline at end of file` belongs to the line before it: nothing to count.
    }
    return { removed, added };
}

function linesOf(lines: ReadonlyMap<number, string>, start: number, count: number): string[] {
    const found: string[] = [];
    for (let n = start; n < start + count; n++) {
        found.push(lines.get(n) ?? '');
    }
    return found;
}

/**
 * A hunk's removed and added lines, read from its file's unified diff by the hunk's line ranges
 * (the review's hunks have no context and need not match the diff's `@@` sections one to one).
 */
export function hunkPreview(lines: DiffLines, hunk: ChangeHunk, maxLines = 3): HunkPreview {
    const removed = linesOf(lines.removed, hunk.oldStart, hunk.oldLines);
    const added = linesOf(lines.added, hunk.newStart, hunk.newLines);
    return {
        removed: removed.slice(0, maxLines),
        added: added.slice(0, maxLines),
        moreRemoved: Math.max(0, removed.length - maxLines),
        moreAdded: Math.max(0, added.length - maxLines),
    };
}

/** Where a hunk is, in the file as the task left it ("lines 12–14", "line 3"), or where it removed lines when it added none. */
export function hunkLocation(hunk: ChangeHunk): string {
    const range = (start: number, count: number) => count === 1
        ? nls.localize('coditect/change-review/hunk-line', 'line {0}', start)
        : nls.localize('coditect/change-review/hunk-lines', 'lines {0}–{1}', start, start + count - 1);
    if (hunk.newLines > 0) {
        return range(hunk.newStart, hunk.newLines);
    }
    return nls.localize('coditect/change-review/hunk-removed', 'removed {0}', range(hunk.oldStart, hunk.oldLines));
}
