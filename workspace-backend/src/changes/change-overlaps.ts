import type { ChangeOverlap } from './change-set-types';

/** A hunk's lines: `[oldStart, oldLines, newStart, newLines]`, 1-based. */
export type HunkRangeTuple = readonly [number, number, number, number];

/** One task's change of a file, as far as overlaps need it. */
export interface FileChangeSpan {
    readonly taskId: number;
    readonly agentId: string;
    readonly beforeSha: string | null;
    readonly afterSha: string | null;
    readonly firstAt: number;
    readonly lastAt: number;
    readonly ranges: readonly HunkRangeTuple[];
}

/** The lines a hunk covers on one side; an insertion (no lines) covers the line it follows and the one it precedes. */
function covered(start: number, lines: number): [number, number] {
    return lines === 0 ? [Math.max(1, start - 1), start] : [start, start + lines - 1];
}

function meet(a: [number, number], b: [number, number]): [number, number] | undefined {
    const start = Math.max(a[0], b[0]);
    const end = Math.min(a[1], b[1]);
    return start <= end ? [start, end] : undefined;
}

/**
 * Where other tasks' changes of the same file meet this one. Two changes in a row (one's after
 * side is the other's before side) are compared line by line: they overlap where the later one
 * changed lines the earlier one had just written. Changes made at the same time (their spans of
 * time cross) overlap as a whole: neither task saw all of the other's. Changes with others in
 * between cannot be compared by line and are not flagged.
 */
export function overlapsOf(mine: FileChangeSpan, others: readonly FileChangeSpan[]): ChangeOverlap[] {
    const found: ChangeOverlap[] = [];
    for (const other of others) {
        if (other.taskId === mine.taskId) {
            continue;
        }
        let lines: [number, number] | undefined;
        if (other.afterSha !== null && other.afterSha === mine.beforeSha) {
            // The other task came first: my old lines are its new lines.
            lines = firstMeeting(mine.ranges, other.ranges, (m, o) => meet(covered(m[0], m[1]), covered(o[2], o[3])), m => covered(m[2], m[3]));
        } else if (mine.afterSha !== null && mine.afterSha === other.beforeSha) {
            // Mine came first: its old lines are my new lines.
            lines = firstMeeting(mine.ranges, other.ranges, (m, o) => meet(covered(m[2], m[3]), covered(o[0], o[1])), (_m, where) => where);
        } else if (mine.firstAt <= other.lastAt && other.firstAt <= mine.lastAt) {
            found.push({ taskId: other.taskId, agentId: other.agentId, kind: 'interleaved' });
            continue;
        }
        if (lines) {
            found.push({ taskId: other.taskId, agentId: other.agentId, kind: 'same-lines', lines: { start: lines[0], end: lines[1] } });
        }
    }
    return found;
}

/** The first pair of hunks that meet, as lines of my after side. */
function firstMeeting(
    mine: readonly HunkRangeTuple[], theirs: readonly HunkRangeTuple[],
    meeting: (m: HunkRangeTuple, o: HunkRangeTuple) => [number, number] | undefined,
    asMine: (m: HunkRangeTuple, where: [number, number]) => [number, number],
): [number, number] | undefined {
    for (const m of mine) {
        for (const o of theirs) {
            const where = meeting(m, o);
            if (where) {
                return asMine(m, where);
            }
        }
    }
    return undefined;
}
