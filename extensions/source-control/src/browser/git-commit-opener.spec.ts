import { enableJSDOM } from '@theia/core/lib/browser/test/jsdom';
let disableJSDOM = enableJSDOM();

import * as assert from 'node:assert/strict';
import { DiffUris } from '@theia/core/lib/browser/diff-uris';
import { OpenerService } from '@theia/core/lib/browser/opener-service';
import { MessageService } from '@theia/core/lib/common/message-service';
import { QuickInputService, QuickPickItem } from '@theia/core/lib/common/quick-pick-service';
import URI from '@theia/core/lib/common/uri';
import { Container } from '@theia/core/shared/inversify';
import { GitChange, GitCommitInfo, GitLogOptions, GitService } from '../common/git-protocol';
import { parseGitUri } from '../common/git-uri';
import { GitCommitOpener } from './git-commit-opener';
import { GitScmProvider } from './git-scm-provider';

disableJSDOM();

const parent = 'a'.repeat(40);
const commit = (sha: string, subject: string): GitCommitInfo => ({ sha, parents: [parent], subject, body: '', authorName: 'Claude', authorEmail: 'claude@agents.coditect.ai', authorDate: 1 });
const twoFiles = commit('b'.repeat(40), 'Tidy the notes');
const oneFile = commit('c'.repeat(40), 'Louder greeting');
const changesOf: Record<string, GitChange[]> = {
    [twoFiles.sha]: [{ path: 'docs/notes.md', kind: 'modified' }, { path: 'src/farewell.ts', kind: 'added' }],
    [oneFile.sha]: [{ path: 'src/greeting.ts', kind: 'modified' }],
};

describe('GitCommitOpener: a commit\'s changes, from the Changes view or the palette', () => {
    before(() => disableJSDOM = enableJSDOM());
    after(() => disableJSDOM());

    let opened: string[];
    let asked: { items: string[]; title?: string; placeholder?: string }[];
    let answer: (items: readonly QuickPickItem[]) => QuickPickItem | undefined;
    let warnings: string[];
    let opener: GitCommitOpener;

    beforeEach(() => {
        opened = [];
        asked = [];
        warnings = [];
        answer = () => undefined;
        // The repository as the backend's GitService answers for it: two commits, and an error for any other revision.
        const git: Partial<GitService> = {
            log: async (options: GitLogOptions) => {
                if (options.ref === undefined) {
                    return [twoFiles, oneFile];
                }
                const found = [twoFiles, oneFile].find(c => c.sha === options.ref);
                if (!found) {
                    throw new Error(`Could not read the history: unknown revision ${options.ref}`);
                }
                return [found];
            },
            commitChanges: async sha => changesOf[sha],
        };
        const container = new Container();
        container.bind(GitService).toConstantValue(git as GitService);
        container.bind(GitScmProvider).toConstantValue({ fileUri: (path: string) => new URI('file:///w').resolve(path) } as GitScmProvider);
        container.bind(QuickInputService).toConstantValue({
            showQuickPick: async (items: QuickPickItem[], options: { title?: string; placeholder?: string }) => {
                asked.push({ items: items.map(i => i.label), title: options.title, placeholder: options.placeholder });
                return answer(items);
            },
        } as unknown as QuickInputService);
        container.bind(OpenerService).toConstantValue({ getOpener: async () => ({ open: async (uri: URI) => opened.push(uri.toString()) }) } as unknown as OpenerService);
        container.bind(MessageService).toConstantValue({ warn: async (text: string) => warnings.push(text), info: async () => undefined } as unknown as MessageService);
        container.bind(GitCommitOpener).toSelf();
        opener = container.get(GitCommitOpener);
    });

    /** The two sides of an opened diff as `path@ref`, and its label. */
    function diffOf(uri: string): { sides: string[]; label: string } {
        const parsed = new URI(uri);
        assert.ok(DiffUris.isDiffUri(parsed), `a diff: ${uri}`);
        const [left, right] = DiffUris.decode(parsed);
        const side = (u: URI) => `${parseGitUri(u)?.path}@${parseGitUri(u)?.ref.slice(0, 7)}`;
        return { sides: [side(left), side(right)], label: parsed.path.toString() };
    }

    it('opens the diff of a one-file commit with its parent at once', async () => {
        await opener.open(oneFile.sha);
        assert.deepEqual(asked, []);
        assert.equal(opened.length, 1);
        assert.deepEqual(diffOf(opened[0]).sides, ['/w/src/greeting.ts@aaaaaaa', '/w/src/greeting.ts@ccccccc']);
    });

    it('asks which file of a commit of several, titled with the commit, and opens that one: an added file as the commit has it', async () => {
        answer = items => items.find(i => i.label === 'src/farewell.ts');
        await opener.open(twoFiles.sha);
        assert.deepEqual(asked, [{ items: ['docs/notes.md', 'src/farewell.ts'], title: 'bbbbbbb Tidy the notes', placeholder: 'The commit changed 2 files: open which one\'s diff?' }]);
        assert.deepEqual(opened.map(u => parseGitUri(new URI(u))), [{ path: '/w/src/farewell.ts', ref: twoFiles.sha }]);
    });

    it('opens nothing when the person picks nothing', async () => {
        await opener.open(twoFiles.sha);
        assert.equal(asked.length, 1);
        assert.deepEqual(opened, []);
    });

    it('says so, and opens nothing, for a commit the repository does not have (rewritten since)', async () => {
        await opener.open('d'.repeat(40));
        assert.deepEqual(opened, []);
        assert.equal(warnings.length, 1);
        assert.match(warnings[0], /^Commit ddddddd is not in the workspace's repository: it was rewritten/);
    });

    it('from the palette, asks which of the latest commits first', async () => {
        answer = items => items.find(i => i.label.endsWith('Louder greeting'));
        await opener.open();
        assert.deepEqual(asked.map(a => a.items), [['$(git-commit) Tidy the notes', '$(git-commit) Louder greeting']]);
        assert.deepEqual(diffOf(opened[0]).sides, ['/w/src/greeting.ts@aaaaaaa', '/w/src/greeting.ts@ccccccc']);
    });
});
