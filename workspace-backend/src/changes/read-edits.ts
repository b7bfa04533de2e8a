import type { AuthoredChange } from './checkpoints';
import type { ChangeSets } from './change-sets';
import type { WorkspaceJournal } from './workspace-journal';
import { logFor } from '../telemetry/logger';

/** The watcher's authors that are people: a save in the editor, a terminal (or another process nobody started). */
const PeopleKinds = new Set(['editor', 'terminal']);

/**
 * People's changes, as the journal found them, go to the change sets, which flag the lines of
 * them that agents had read (change-sets.ts `personEdited`). Content the journal did not keep
 * (over its size limit) cannot be compared and flags nothing.
 */
export function flagReadEdits(changes: ChangeSets, journal: Pick<WorkspaceJournal, 'content'>): (observed: readonly AuthoredChange[]) => void {
    return observed => {
        for (const change of observed) {
            if (!PeopleKinds.has(change.author.kind) || change.before === null) {
                continue;
            }
            const before = journal.content(change.before);
            const after = journal.content(change.after);
            if (before === undefined || before === 'not-kept' || after === 'not-kept') {
                continue;
            }
            try {
                changes.personEdited({ path: change.path, beforeSha: change.before, before, after, by: change.by, at: change.at });
            } catch (error) {
                logFor('changes').error(`flagging the edit of ${change.path} against what agents read failed: ${(error as Error).message}`);
            }
        }
    };
}
