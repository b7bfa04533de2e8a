import type { FileStatusResult, StatusResult } from 'simple-git';
import { GitChange, GitChangeKind, GitStatus } from '../common/git-protocol';

/** The two letters of `git status --porcelain` that mean an unresolved merge conflict. */
const CONFLICT_CODES = new Set(['DD', 'AU', 'UD', 'UA', 'DU', 'AA', 'UU']);

const KIND_OF_LETTER: Readonly<Record<string, GitChangeKind>> = {
    M: 'modified', A: 'added', D: 'deleted', R: 'renamed', C: 'copied', T: 'type-changed',
};

/**
 * Sorts what `git status` reported into the four groups the SCM view shows. A file can be in both
 * staged and unstaged (staged once, edited again); a conflicted or untracked file is in its own
 * group only.
 */
export function toGitStatus(result: StatusResult, hasCommits: boolean): GitStatus {
    const staged: GitChange[] = [];
    const unstaged: GitChange[] = [];
    const untracked: GitChange[] = [];
    const conflicts: GitChange[] = [];
    for (const file of result.files) {
        const code = `${file.index}${file.working_dir}`;
        const path = file.path;
        if (CONFLICT_CODES.has(code)) {
            conflicts.push({ path, kind: 'conflicted' });
        } else if (code === '??') {
            untracked.push({ path, kind: 'untracked' });
        } else if (code !== '!!') {
            const inIndex = KIND_OF_LETTER[file.index];
            if (inIndex) {
                staged.push(withOldPath({ path, kind: inIndex }, file));
            }
            const inTree = KIND_OF_LETTER[file.working_dir];
            if (inTree) {
                unstaged.push({ path, kind: inTree });
            }
        }
    }
    return {
        branch: result.detached ? undefined : result.current ?? undefined,
        upstream: result.tracking ?? undefined,
        ahead: result.ahead,
        behind: result.behind,
        hasCommits,
        staged, unstaged, untracked, conflicts,
    };
}

function withOldPath(change: GitChange, file: FileStatusResult): GitChange {
    return file.from && file.from !== file.path ? { ...change, oldPath: file.from } : change;
}
