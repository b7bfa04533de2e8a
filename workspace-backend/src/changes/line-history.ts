import { diffLines } from 'diff';
import { countLines } from './change-hunks';
import type { LineOrigin } from './change-set-types';
import type { WorkspaceJournal } from './workspace-journal';

/** The most states of a file walked back; older lines are put down to the oldest state walked. */
const MaxStatesWalked = 300;
const DiffTimeoutMs = 500;

/**
 * Who wrote each line of a file as it is now, from the journal's states of it (like `git blame`
 * over every state the studio saw, not only commits): walking the states oldest first, a line a
 * state kept keeps its origin and a line it added gets that state's maker. A state that brings
 * back an earlier content (a restore, its undo) brings back that content's origins. Undefined
 * when the file is absent now, or its content is not text the journal kept.
 */
export function lineOrigins(journal: Pick<WorkspaceJournal, 'states' | 'content'>, path: string): LineOrigin[] | undefined {
    let text: string | undefined = '';
    let origins: LineOrigin[] = [];
    const seen = new Map<string, { text: string; origins: LineOrigin[] }>();
    for (const row of journal.states(path, MaxStatesWalked)) {
        const origin: LineOrigin = { by: row.by_name, at: row.at, ...(row.task_id !== null ? { taskId: row.task_id } : {}) };
        const content = journal.content(row.sha256);
        if (content === undefined) {
            text = '';
            origins = [];
            continue;
        }
        if (content === 'not-kept' || content.subarray(0, 8000).includes(0)) {
            text = undefined;
            continue;
        }
        const earlier = seen.get(row.sha256!);
        const next = earlier?.text ?? content.toString('utf8');
        origins = earlier?.origins ?? (text === undefined ? new Array<LineOrigin>(countLines(next)).fill(origin) : carried(text, next, origins, origin));
        text = next;
        seen.set(row.sha256!, { text, origins });
    }
    return text === undefined || journal.states(path, 1)[0]?.sha256 == null ? undefined : origins;
}

/** The origins of `next`'s lines: those `previous` had for the lines kept, `origin` for the lines added. */
function carried(previous: string, next: string, origins: readonly LineOrigin[], origin: LineOrigin): LineOrigin[] {
    const parts = diffLines(previous, next, { timeout: DiffTimeoutMs });
    if (parts === undefined) {
        return new Array<LineOrigin>(countLines(next)).fill(origin);
    }
    const result: LineOrigin[] = [];
    let old = 0;
    for (const part of parts) {
        const count = part.count ?? countLines(part.value);
        if (part.added) {
            result.push(...new Array<LineOrigin>(count).fill(origin));
        } else if (part.removed) {
            old += count;
        } else {
            result.push(...origins.slice(old, old + count));
            old += count;
        }
    }
    return result;
}
