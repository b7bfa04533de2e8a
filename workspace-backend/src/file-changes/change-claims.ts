import type { ChangeAuthor } from './change-author';

/** How long a claim covers its path: the write it announces, and the watcher's delivery of it. */
export const DefaultClaimMs = 5_000;

export interface Claim {
    readonly author: ChangeAuthor;
    /**
     * True when the writer records the change itself (a `file-edit` event): the watcher then
     * records nothing for it. False when the watcher should record it, under this author.
     */
    readonly recordedByWriter: boolean;
    readonly expiresAt: number;
}

/**
 * Writers the studio knows (the IDE's file system provider, the agents' guarded writer) claim a
 * path just before they change it, so the watcher, which sees the change a moment later, knows
 * who made it.
 *
 * Invariant: a claim covers its path, the folders above it (a write into a new folder creates
 * them) and the writer's temporary siblings (`<name>.<…>.tmp`, `<name>…vsctmp`, the
 * write-then-rename files) until it expires; it is never consumed by the first event, because one
 * write can show as several (create, then update).
 * Honest limit: another process changing the same path while the claim lasts is taken for the
 * claimant.
 */
export class ChangeClaims {
    protected readonly claims = new Map<string, Claim>();

    constructor(protected readonly now: () => number = Date.now, protected readonly claimMs = DefaultClaimMs) { }

    /** `relativePath` is workspace-relative with `/`. */
    claim(relativePath: string, author: ChangeAuthor, recordedByWriter: boolean): void {
        this.prune();
        this.claims.set(relativePath, { author, recordedByWriter, expiresAt: this.now() + this.claimMs });
    }

    /** The live claim covering `relativePath` at `at`, if any. */
    match(relativePath: string, at: number = this.now()): Claim | undefined {
        const live = (claim: Claim | undefined) => (claim && claim.expiresAt >= at ? claim : undefined);
        const exact = live(this.claims.get(relativePath));
        if (exact) {
            return exact;
        }
        const folder = `${relativePath}/`;
        const temporary = /\.(vsc)?tmp$/.test(relativePath);
        for (const [claimed, claim] of this.claims) {
            if (live(claim) && (claimed.startsWith(folder) || (temporary && isTemporaryOf(relativePath, claimed)))) {
                return claim;
            }
        }
        return undefined;
    }

    protected prune(): void {
        const now = this.now();
        for (const [key, claim] of this.claims) {
            if (claim.expiresAt < now) {
                this.claims.delete(key);
            }
        }
    }
}

/** True when `candidate` (ending in .tmp or .vsctmp) is a write-then-rename temporary of `claimed`: `a.ts.<…>.tmp`, `a.ts-<…>.vsctmp`. */
function isTemporaryOf(candidate: string, claimed: string): boolean {
    return candidate.length > claimed.length + 1 && candidate.startsWith(claimed) && '.-~'.includes(candidate[claimed.length])
        && !candidate.slice(claimed.length).includes('/');
}
