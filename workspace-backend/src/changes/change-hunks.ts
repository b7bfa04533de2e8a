import { createTwoFilesPatch, diffLines, FILE_HEADERS_ONLY } from 'diff';

/** Diffs that would take longer are given up: the whole file is then one hunk. */
const DiffTimeoutMs = 500;

/** One changed region between two versions of a file: lines 1-based; a region with no lines on a side starts after the line before it. */
export interface HunkRange {
    readonly index: number;
    readonly oldStart: number;
    readonly oldLines: number;
    readonly newStart: number;
    readonly newLines: number;
}

interface Same {
    readonly kind: 'same';
    readonly text: string;
}

interface Changed {
    readonly kind: 'changed';
    readonly range: HunkRange;
    /** The exact text on each side, line endings included. */
    readonly removed: string;
    readonly added: string;
}

/**
 * Two versions of a text file as unchanged text and changed regions (the hunks a person reviews,
 * with no context lines, so two changes are two hunks unless they touch). Invariant: joining the
 * parts with each hunk's `removed` side gives the old text exactly, with `added` the new one; so
 * any mix of kept and taken-back hunks is rebuilt byte for byte, line endings included.
 */
export class FileDiff {
    protected constructor(protected readonly parts: readonly (Same | Changed)[]) { }

    /** Absent sides are empty text (a created or deleted file is one hunk). */
    static of(before: string | undefined, after: string | undefined): FileDiff {
        const oldText = before ?? '';
        const newText = after ?? '';
        const changes = diffLines(oldText, newText, { timeout: DiffTimeoutMs });
        if (changes === undefined) {
            return new FileDiff(oldText === newText ? [{ kind: 'same', text: oldText }] : [{
                kind: 'changed', removed: oldText, added: newText,
                range: { index: 0, oldStart: 1, oldLines: countLines(oldText), newStart: 1, newLines: countLines(newText) },
            }]);
        }
        const parts: (Same | Changed)[] = [];
        let oldLine = 1;
        let newLine = 1;
        let removed = '';
        let added = '';
        let index = 0;
        const closeHunk = () => {
            if (removed === '' && added === '') {
                return;
            }
            const oldLines = countLines(removed);
            const newLines = countLines(added);
            parts.push({ kind: 'changed', removed, added, range: { index: index++, oldStart: oldLine, oldLines, newStart: newLine, newLines } });
            oldLine += oldLines;
            newLine += newLines;
            removed = '';
            added = '';
        };
        for (const change of changes) {
            if (change.removed) {
                removed += change.value;
            } else if (change.added) {
                added += change.value;
            } else {
                closeHunk();
                parts.push({ kind: 'same', text: change.value });
                oldLine += change.count;
                newLine += change.count;
            }
        }
        closeHunk();
        return new FileDiff(parts);
    }

    get hunks(): readonly HunkRange[] {
        return this.parts.flatMap(p => (p.kind === 'changed' ? [p.range] : []));
    }

    get added(): number {
        return this.hunks.reduce((sum, h) => sum + h.newLines, 0);
    }

    get removed(): number {
        return this.hunks.reduce((sum, h) => sum + h.oldLines, 0);
    }

    /** The new text with the hunks in `takenBack` returned to their old side. */
    compose(takenBack: ReadonlySet<number>): string {
        return this.parts.map(p => (p.kind === 'same' ? p.text : takenBack.has(p.range.index) ? p.removed : p.added)).join('');
    }

    /** The hunk's two sides, for a comment's context or a conflict's message. */
    sides(index: number): { readonly removed: string; readonly added: string } | undefined {
        const part = this.parts.find(p => p.kind === 'changed' && p.range.index === index);
        return part?.kind === 'changed' ? { removed: part.removed, added: part.added } : undefined;
    }
}

/** A unified diff with three lines of context, as `git diff` prints it (absent sides are /dev/null). */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
    return createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${path}`, after === undefined ? '/dev/null' : `b/${path}`,
        before ?? '', after ?? '', undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY }) ?? '';
}

/** Lines in a piece of text; a last line without its newline counts. */
/** Lines of a text: a last line without a newline counts. */
export function countLines(text: string): number {
    if (text === '') {
        return 0;
    }
    let lines = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
        lines++;
    }
    return text.endsWith('\n') ? lines : lines + 1;
}
