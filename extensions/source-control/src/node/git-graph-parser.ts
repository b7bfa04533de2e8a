import { GitCommitStatistics, GitGraphCommit, GitRefInfo, GitRefKind } from '../common/git-protocol';
import { COMMIT_FIELD_COUNT, COMMIT_FIELDS, commitInfo } from './git-log-parser';

/** The refs the history graph shows, as `for-each-ref` patterns: branches, remote-tracking branches and tags (not notes or the stash). */
export const GRAPH_REF_PATTERNS: readonly string[] = ['refs/heads', 'refs/remotes', 'refs/tags'];

/**
 * One ref a line, its fields NUL-separated: the full name, the object, the commit an annotated tag
 * peels to (empty for anything else), the configured upstream, and `*` on the checked-out branch.
 */
export const REF_FORMAT = '%(refname)%00%(objectname)%00%(*objectname)%00%(upstream)%00%(HEAD)';

/**
 * A commit a record: a record separator first, then COMMIT_FIELDS, the abbreviated id, and a NUL after
 * which `--shortstat` writes its line (nothing for a merge). The separator leads, rather than ends, each
 * record because git prints the statistics after the format.
 */
export const GRAPH_FORMAT = `%x1e${COMMIT_FIELDS}%x00%h%x00`;

const KIND_OF_PREFIX: readonly (readonly [string, GitRefKind])[] = [['refs/heads/', 'branch'], ['refs/remotes/', 'remote'], ['refs/tags/', 'tag']];

/** What `for-each-ref --format=REF_FORMAT` said. */
export interface ParsedRefs {
    readonly refs: GitRefInfo[];
    /** The checked-out branch, when HEAD is on a branch that has a commit. */
    readonly current?: { readonly fullName: string; readonly commit: string; readonly upstream?: string };
}

export function parseRefs(output: string): ParsedRefs {
    const refs: GitRefInfo[] = [];
    let current: ParsedRefs['current'];
    for (const line of output.split('\n').filter(candidate => candidate.length > 0)) {
        const [fullName, object, peeled, upstream, head] = line.split('\0');
        const prefix = KIND_OF_PREFIX.find(([candidate]) => fullName.startsWith(candidate));
        // A remote's HEAD (refs/remotes/origin/HEAD) only names its default branch, which is listed itself.
        if (!prefix || prefix[1] === 'remote' && fullName.endsWith('/HEAD')) {
            continue;
        }
        const ref: GitRefInfo = { fullName, name: fullName.slice(prefix[0].length), kind: prefix[1], commit: peeled || object };
        refs.push(ref);
        if (head === '*') {
            current = { fullName, commit: ref.commit, upstream: upstream || undefined };
        }
    }
    return { refs, current };
}

/** Parses `git log --format=GRAPH_FORMAT --shortstat`; each commit gets the refs among `refs` that point at it. */
export function parseGraph(output: string, refs: readonly GitRefInfo[]): GitGraphCommit[] {
    const refsOf = new Map<string, GitRefInfo[]>();
    for (const ref of refs) {
        refsOf.set(ref.commit, [...refsOf.get(ref.commit) ?? [], ref]);
    }
    return output.split('\x1e').filter(record => record.length > 0).map(record => {
        const fields = record.split('\0');
        const commit = commitInfo(fields.slice(0, COMMIT_FIELD_COUNT));
        return {
            ...commit,
            shortSha: fields[COMMIT_FIELD_COUNT],
            refs: refsOf.get(commit.sha) ?? [],
            statistics: parseShortStat(fields[COMMIT_FIELD_COUNT + 1] ?? ''),
        };
    });
}

/** ` 2 files changed, 3 insertions(+), 1 deletion(-)` (either count may be missing); undefined when there is no such line. */
function parseShortStat(text: string): GitCommitStatistics | undefined {
    const files = /(\d+) files? changed/.exec(text);
    if (!files) {
        return undefined;
    }
    const insertions = /(\d+) insertions?\(\+\)/.exec(text);
    const deletions = /(\d+) deletions?\(-\)/.exec(text);
    return { files: Number(files[1]), insertions: Number(insertions?.[1] ?? 0), deletions: Number(deletions?.[1] ?? 0) };
}
