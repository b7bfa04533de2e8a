import { nls } from '@theia/core/lib/common/nls';
import type { ChangeApplyState, ChangeCommit, ChangeFileStatus, ChangeOverlap, HunkReview, LineOrigin, ReadEdit, ReviewFileOutcome, ReviewRequest, ReviewState } from '../common/change-review-protocol';

const K = 'coditect/change-review/';

/** The words and letters of the Changes view, and the messages a review leaves. */
export namespace ChangeLabels {

    /** "pending", "accepted", "rejected", "partly accepted". */
    export function review(state: ReviewState | HunkReview): string {
        switch (state) {
            case 'pending': return nls.localize(`${K}review-pending`, 'pending');
            case 'accepted': return nls.localize(`${K}review-accepted`, 'accepted');
            case 'rejected': return nls.localize(`${K}review-rejected`, 'rejected');
            case 'partly-accepted': return nls.localize(`${K}review-partly-accepted`, 'partly accepted');
        }
    }

    /** Where the edits of an agent that applies after review are: its badge's words, codicon and tooltip. */
    export function apply(state: ChangeApplyState): { readonly label: string; readonly icon: string; readonly tooltip: string } {
        switch (state) {
            case 'waiting': return {
                label: nls.localize(`${K}apply-waiting`, 'waiting for review'), icon: 'watch',
                tooltip: nls.localize(`${K}apply-waiting-tooltip`,
                    'The agent\'s edits are not in the workspace yet: only the agent sees them. Accept All lands them all at once (or none, if a file changed since); Reject All discards them.'),
            };
            case 'applied': return {
                label: nls.localize(`${K}apply-applied`, 'landed after review'), icon: 'pass',
                tooltip: nls.localize(`${K}apply-applied-tooltip`, 'Accepted after review and written to the workspace; its files and hunks can now be taken back one by one.'),
            };
            case 'discarded': return {
                label: nls.localize(`${K}apply-discarded`, 'discarded'), icon: 'trash',
                tooltip: nls.localize(`${K}apply-discarded-tooltip`, 'Rejected before it landed: the workspace never had these edits.'),
            };
        }
    }

    /** Why a file or hunk of a waiting change set has no Accept or Reject of its own. */
    export function wholeSetOnly(): string {
        return nls.localize(`${K}whole-set-only`, 'Not landed yet: accept or reject the whole task (Accept All, Reject All)');
    }

    /** A task's row when tasks it delegated changed something: its badge, and what the badge's tooltip says. */
    export function tree(subtaskIds: readonly number[]): { readonly label: string; readonly tooltip: string } {
        return {
            label: nls.localize(`${K}tree-badge`, 'with {0} sub-task(s)', subtaskIds.length),
            tooltip: nls.localize(`${K}tree-tooltip`, 'The counts are this task\'s changes together with those of the tasks it delegated ({0}); Accept All and Reject All decide them all',
                subtaskIds.map(id => `#${id}`).join(', ')),
        };
    }

    /** Accept All or Reject All on a task with sub-tasks. */
    export function decideTree(decision: 'accept' | 'reject', subtasks: number): string {
        return decision === 'accept'
            ? nls.localize(`${K}accept-tree`, 'Accept All: this task\'s changes and its {0} sub-task(s)\'', subtasks)
            : nls.localize(`${K}reject-tree`, 'Reject All: this task\'s changes and its {0} sub-task(s)\' (the newest first)', subtasks);
    }

    /** A sub-task listed on its own (its parent is not in the list): where it came from. */
    export function delegatedFrom(parentTaskId: number): string {
        return nls.localize(`${K}delegated-from`, 'Delegated from task #{0}', parentTaskId);
    }

    /** The heading above a task's sub-tasks in the Changes view. */
    export function subtasksHeading(count: number): string {
        return nls.localize(`${K}subtasks-heading`, 'Delegated: {0} sub-task(s) changed something', count);
    }

    /** A, M or D, as source control writes them. */
    export function statusLetter(status: ChangeFileStatus): string {
        return status === 'added' ? 'A' : status === 'deleted' ? 'D' : 'M';
    }

    export function status(status: ChangeFileStatus): string {
        return status === 'added' ? nls.localize(`${K}status-added`, 'added')
            : status === 'deleted' ? nls.localize(`${K}status-deleted`, 'deleted')
                : nls.localize(`${K}status-modified`, 'modified');
    }

    /** An agent's name from its id as the change sets carry it: `claude` → Claude, `code-reviewer` → Code Reviewer. */
    export function agentName(agentId: string): string {
        if (!agentId) {
            return nls.localize(`${K}unknown-agent`, '(no agent)');
        }
        return agentId.split(/[-_\s]+/).filter(Boolean).map(word => word[0].toUpperCase() + word.slice(1)).join(' ');
    }

    /** What a review decides on: "task #3", "src/a.ts", "hunk 2 of src/a.ts". */
    function target(request: ReviewRequest): string {
        return request.path === undefined
            ? request.withSubtasks
                ? nls.localize(`${K}what-task-tree`, 'task #{0} and its sub-tasks', request.taskId)
                : nls.localize(`${K}what-task`, 'task #{0}', request.taskId)
            : request.hunk === undefined
                ? request.path
                : nls.localize(`${K}what-hunk`, 'hunk {0} of {1}', request.hunk + 1, request.path);
    }

    /** While a review runs: "Rejecting hunk 2 of src/a.ts", "Accepting task #3". */
    export function progress(request: ReviewRequest): string {
        return request.decision === 'accept'
            ? nls.localize(`${K}accepting`, 'Accepting {0}', target(request))
            : nls.localize(`${K}rejecting`, 'Rejecting {0}', target(request));
    }

    /** When it failed: "Could not reject hunk 2 of src/a.ts". */
    export function failed(request: ReviewRequest): string {
        return request.decision === 'accept'
            ? nls.localize(`${K}accept-failed`, 'Could not accept {0}', target(request))
            : nls.localize(`${K}reject-failed`, 'Could not reject {0}', target(request));
    }

    /**
     * Notifications render inline markdown (code, emphasis, links, strikethrough, entities; no HTML):
     * a file's text shows as written only with those characters escaped.
     */
    export function escapeMarkdown(text: string): string {
        return text.replace(/[\\`*_[\]()!<>~&]/g, c => `\\${c}`);
    }

    /** Lines of a file on one line, trimmed and shortened for a message. */
    function snippet(text: string, max = 60): string {
        const line = text.trim().split(/\r?\n/).map(l => l.trim()).join(' ⏎ ');
        return line.length > max ? `${line.slice(0, max - 1)}…` : line;
    }

    /**
     * A conflict as the person reads it: the file, why nothing was written, and each conflicting
     * region (at most `maxConflicts`): its line, what the file holds now and what the decision
     * wanted. Plain text: escape it (`escapeMarkdown`) for a notification.
     */
    export function conflict(request: ReviewRequest, outcome: Extract<ReviewFileOutcome, { outcome: 'conflict' }>, maxConflicts = 3): string {
        const onFile = request.path === undefined ? { ...request, path: outcome.path } : request;
        const head = nls.localize(`${K}conflict`, '{0}: {1} was left as it is. {2}', failed(onFile), outcome.path, outcome.reason);
        const regions = outcome.conflicts.slice(0, maxConflicts).map(c => nls.localize(`${K}conflict-region`, 'Line {0} now reads "{1}"; the decision wanted "{2}".',
            c.line, snippet(c.current), snippet(c.wanted)));
        const more = outcome.conflicts.length - regions.length;
        return [head, ...regions, ...(more > 0 ? [nls.localize(`${K}conflict-more`, 'And {0} more conflicting region(s).', more)] : [])].join(' ');
    }

    /** What the person reads about a line's origin. */
    export function lineOrigin(path: string, line: number, origin: LineOrigin, now = Date.now()): string {
        const minutes = Math.max(0, Math.round((now - origin.at) / 60_000));
        const ago = minutes < 1 ? nls.localize(`${K}just-now`, 'just now')
            : minutes < 120 ? nls.localize(`${K}minutes-ago`, '{0} min ago', minutes)
                : new Date(origin.at).toLocaleString();
        return origin.taskId !== undefined
            ? nls.localize(`${K}line-by-task`, 'Line {0} of {1} was last written by {2} in task #{3}, {4}.', line, path, origin.by, origin.taskId, ago)
            : nls.localize(`${K}line-by`, 'Line {0} of {1} was last written by {2}, {3}.', line, path, origin.by, ago);
    }

    /** "Committed 1 commit", "Committed 3 commits". */
    export function committed(count: number): string {
        return count === 1 ? nls.localize(`${K}committed-one`, 'Committed 1 commit') : nls.localize(`${K}committed-n`, 'Committed {0} commits', count);
    }

    /** When a commit was made, short: "Mar 4, 14:05" in the person's locale. */
    export function commitTime(at: number): string {
        return new Date(at).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    }

    /** A commit's tooltip: its full hash, author and time, and what a click does when it can. */
    export function commit(commit: ChangeCommit, openable: boolean): string {
        const about = nls.localize(`${K}commit-tooltip`, 'Commit {0} by {1}, {2}', commit.sha, commit.authorName, new Date(commit.at).toLocaleString());
        return openable ? `${about}\n${nls.localize(`${K}commit-open`, 'Click to open its changes')}` : about;
    }

    /** "lines 3–5" or "line 3". */
    export function lines(range: { readonly start: number; readonly end: number }): string {
        return range.start === range.end ? nls.localize(`${K}line-n`, 'line {0}', range.start) : nls.localize(`${K}lines-n-m`, 'lines {0}–{1}', range.start, range.end);
    }

    /** Where a file's change meets another task's. */
    export function overlap(overlap: ChangeOverlap): string {
        return overlap.kind === 'same-lines' && overlap.lines
            ? nls.localize(`${K}overlap-lines`, 'Task #{0} ({1}) changed the same {2}', overlap.taskId, agentName(overlap.agentId), lines(overlap.lines))
            : nls.localize(`${K}overlap-interleaved`, 'Task #{0} ({1}) changed this file at the same time: neither saw all of the other\'s change', overlap.taskId, agentName(overlap.agentId));
    }

    /** A person's edit of lines the task's agent had read. */
    export function readEdit(edit: ReadEdit, agentId: string): string {
        return nls.localize(`${K}read-edit`, '{0} edited {1}, {2}, after {3} read it: its changes may rest on the old text',
            edit.by, edit.path, lines(edit.lines), agentName(agentId));
    }
}
