import { diff3Merge } from 'node-diff3';

/** Where a merge could not decide: the lines as they are now, as the review had them, and as the review wants them. */
interface MergeConflict {
    /** 1-based line in the current file where the conflicting region starts. */
    readonly line: number;
    readonly current: string;
    readonly reviewed: string;
    readonly wanted: string;
}

export type MergeOutcome =
    | { readonly kind: 'merged'; readonly content: string | undefined }
    | { readonly kind: 'conflict'; readonly reason: string; readonly conflicts: readonly MergeConflict[] };

/** Lines with their endings, so joining them gives the text back byte for byte. */
const linesOf = (text: string): string[] => (text === '' ? [] : text.split(/(?<=\n)/));

/**
 * Moves a file from `reviewed` (what the review last left it as) to `wanted`, keeping whatever
 * else changed it since (`current`), as `git merge-file` would with `reviewed` as the base. Any
 * side may be absent (no file). Invariant: nobody's later change is overwritten; when the two
 * cannot both be kept, the outcome is a conflict and nothing is decided.
 */
export function threeWayMerge(current: string | undefined, reviewed: string | undefined, wanted: string | undefined, path: string): MergeOutcome {
    if (current === reviewed) {
        return { kind: 'merged', content: wanted };
    }
    if (reviewed === wanted) {
        return { kind: 'merged', content: current };
    }
    if (current === wanted) {
        return { kind: 'merged', content: current };
    }
    if (current === undefined) {
        return {
            kind: 'conflict', reason: `${path} was deleted after the agent's change; restore it first or leave the change as it is.`,
            conflicts: [{ line: 1, current: '', reviewed: reviewed ?? '', wanted: wanted ?? '' }],
        };
    }
    if (wanted === undefined || reviewed === undefined) {
        const what = wanted === undefined ? 'deleting it' : 'creating it again';
        return {
            kind: 'conflict', reason: `${path} was changed after the agent's change; ${what} would lose those changes. Edit it by hand instead.`,
            conflicts: [{ line: 1, current, reviewed: reviewed ?? '', wanted: wanted ?? '' }],
        };
    }
    const regions = diff3Merge(linesOf(current), linesOf(reviewed), linesOf(wanted), { excludeFalseConflicts: true });
    const merged: string[] = [];
    const conflicts: MergeConflict[] = [];
    for (const region of regions) {
        if (region.ok) {
            merged.push(...region.ok);
        } else if (region.conflict) {
            const c = region.conflict;
            conflicts.push({ line: c.aIndex + 1, current: c.a.join(''), reviewed: c.o.join(''), wanted: c.b.join('') });
        }
    }
    if (conflicts.length > 0) {
        const where = conflicts.map(c => c.line).join(', ');
        return {
            kind: 'conflict', conflicts,
            reason: `${path} was changed since at the same lines (line ${where} now); taking the change back there would overwrite that. Resolve it by hand.`,
        };
    }
    return { kind: 'merged', content: merged.join('') };
}
