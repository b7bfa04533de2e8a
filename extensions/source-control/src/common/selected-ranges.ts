import { hunkOf, LineSpan } from './change-hunk';

/** A change between the two sides of a diff editor, as Monaco reports it (1-based lines; an end of 0 marks an insertion or deletion after the start line). */
export interface DiffLineChange {
    readonly originalStartLineNumber: number;
    readonly originalEndLineNumber: number;
    readonly modifiedStartLineNumber: number;
    readonly modifiedEndLineNumber: number;
}

/** A selection on the diff editor's right (modified) side, 1-based lines, both ends included. */
export interface SelectedLines {
    readonly startLineNumber: number;
    readonly endLineNumber: number;
}

function span(start: number, end: number): LineSpan {
    return end === 0 ? { start, end: start } : { start: start - 1, end };
}

/** The changes the selections touch on the right side; a deletion there sits on the line it follows. */
export function changesInSelection(changes: readonly DiffLineChange[], selections: readonly SelectedLines[]): DiffLineChange[] {
    return changes.filter(change => {
        const first = Math.max(1, change.modifiedStartLineNumber);
        const last = Math.max(first, change.modifiedEndLineNumber);
        return selections.some(selection => selection.startLineNumber <= last && selection.endLineNumber >= first);
    });
}

/**
 * The patch for `git apply --cached` that moves the index by the given changes of a diff editor:
 * - `stage`: the editor shows the index (left) against the working file (right); the patch turns the
 *   index's lines of each change into the working file's.
 * - `unstage`: the editor shows HEAD (left) against the index (right); the patch turns the index's
 *   lines back into HEAD's.
 * Either way the patch's old side and its context lines are the index's, which it is applied to.
 */
export function indexPatch(direction: 'stage' | 'unstage', left: readonly string[], right: readonly string[], changes: readonly DiffLineChange[]): string {
    const sorted = [...changes].sort((a, b) => a.modifiedStartLineNumber - b.modifiedStartLineNumber);
    return sorted.map(change => {
        const original = span(change.originalStartLineNumber, change.originalEndLineNumber);
        const modified = span(change.modifiedStartLineNumber, change.modifiedEndLineNumber);
        return direction === 'stage' ? hunkOf(left, right, original, modified) : hunkOf(right, left, modified, original);
    }).join('');
}
