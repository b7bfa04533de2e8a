/** Lines of a file, 0-based, `end` exclusive (the shape of a dirty-diff change's ranges). */
export interface LineSpan {
    readonly start: number;
    readonly end: number;
}

/** A file's lines as git counts them: without end-of-line characters, and no empty last line for a final newline. */
export function fileLines(text: string): string[] {
    const lines = text.split(/\r?\n/);
    if (lines[lines.length - 1] === '') {
        lines.pop();
    }
    return lines;
}

/** Context lines kept around a hunk, as `git diff` does. */
const CONTEXT_LINES = 3;

/**
 * One unified-diff hunk that turns `original[previous]` into `current[next]`, with up to three lines
 * of unchanged context from `original` on each side: what `git apply --cached` needs to stage one
 * change of a file. Lines carry no end-of-line characters.
 */
export function hunkOf(original: readonly string[], current: readonly string[], previous: LineSpan, next: LineSpan): string {
    const before = original.slice(Math.max(0, previous.start - CONTEXT_LINES), previous.start);
    const after = original.slice(previous.end, Math.min(original.length, previous.end + CONTEXT_LINES));
    const removed = original.slice(previous.start, previous.end);
    const added = current.slice(next.start, next.end);
    const oldCount = before.length + removed.length + after.length;
    const newCount = before.length + added.length + after.length;
    // A hunk with no old lines starts at the line before it (0 for an empty file), as diff writes it.
    const oldStart = oldCount === 0 ? previous.start : previous.start - before.length + 1;
    const newStart = newCount === 0 ? next.start : next.start - before.length + 1;
    return [
        `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`,
        ...before.map(line => ` ${line}`),
        ...removed.map(line => `-${line}`),
        ...added.map(line => `+${line}`),
        ...after.map(line => ` ${line}`),
    ].join('\n') + '\n';
}
