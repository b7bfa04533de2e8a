import { GitChange, GitChangeKind, GitCommitInfo } from '../common/git-protocol';

/** Fields of one commit, NUL-separated; commits end with a record separator (a subject or body cannot hold either). */
export const LOG_FORMAT = '%H%x00%P%x00%an%x00%ae%x00%at%x00%s%x00%b%x1e';

export function parseLog(output: string): GitCommitInfo[] {
    return output.split('\x1e').map(record => record.replace(/^\n/, '')).filter(record => record.length > 0).map(record => {
        const [sha, parents, authorName, authorEmail, authorTime, subject, body] = record.split('\0');
        return {
            sha, authorName, authorEmail, subject,
            parents: parents ? parents.split(' ') : [],
            authorDate: Number(authorTime) * 1000,
            body: (body ?? '').trim(),
        };
    });
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
