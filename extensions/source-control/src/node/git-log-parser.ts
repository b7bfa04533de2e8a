import { GitChange, GitChangeKind, GitCommitInfo } from '../common/git-protocol';

/** The fields of one commit, NUL-separated (a subject or body cannot hold a NUL), in the order `commitInfo` reads them. */
export const COMMIT_FIELDS = '%H%x00%P%x00%an%x00%ae%x00%at%x00%s%x00%b';
/** How many NUL-separated fields COMMIT_FIELDS prints. */
export const COMMIT_FIELD_COUNT = 7;

/** Commits end with a record separator, which no field holds either. */
export const LOG_FORMAT = `${COMMIT_FIELDS}%x1e`;

export function parseLog(output: string): GitCommitInfo[] {
    return output.split('\x1e').map(record => record.replace(/^\n/, '')).filter(record => record.length > 0)
        .map(record => commitInfo(record.split('\0')));
}

/** The commit that COMMIT_FIELDS printed as `fields`. */
export function commitInfo(fields: readonly string[]): GitCommitInfo {
    const [sha, parents, authorName, authorEmail, authorTime, subject, body] = fields;
    return {
        sha, authorName, authorEmail, subject,
        parents: parents ? parents.split(' ') : [],
        authorDate: Number(authorTime) * 1000,
        body: (body ?? '').trim(),
    };
}

const KIND_OF_LETTER: Readonly<Record<string, GitChangeKind>> = {
    M: 'modified', A: 'added', D: 'deleted', R: 'renamed', C: 'copied', T: 'type-changed', U: 'conflicted',
};

/** Parses `git diff-tree --name-status -z`: a status, then one path (two for a rename or copy: old, new). */
export function parseNameStatus(output: string): GitChange[] {
    const tokens = output.split('\0');
    const changes: GitChange[] = [];
    for (let i = 0; i < tokens.length && tokens[i] !== '';) {
        const letter = tokens[i].charAt(0);
        const kind = KIND_OF_LETTER[letter] ?? 'modified';
        if (letter === 'R' || letter === 'C') {
            changes.push({ kind, oldPath: tokens[i + 1], path: tokens[i + 2] });
            i += 3;
        } else {
            changes.push({ kind, path: tokens[i + 1] });
            i += 2;
        }
    }
    return changes;
}
