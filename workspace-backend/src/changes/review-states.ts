import type { HunkReview, ReviewState } from './change-set-types';

/** A file's review from its hunks': pending while any is, else accepted, rejected, or partly accepted. */
export function reviewStateOf(hunks: readonly HunkReview[]): ReviewState {
    if (hunks.some(h => h === 'pending')) {
        return 'pending';
    }
    const accepted = hunks.filter(h => h === 'accepted').length;
    return accepted === hunks.length ? 'accepted' : accepted === 0 ? 'rejected' : 'partly-accepted';
}

/** A change set's (or a tree's) review from its files': pending while any is (or there are none), else the same rule as for hunks. */
export function combinedReview(states: readonly ReviewState[]): ReviewState {
    if (states.length === 0 || states.some(s => s === 'pending')) {
        return 'pending';
    }
    return states.every(s => s === 'accepted') ? 'accepted' : states.every(s => s === 'rejected') ? 'rejected' : 'partly-accepted';
}
