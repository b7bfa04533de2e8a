import * as assert from 'node:assert/strict';
import { ChangeLabels } from './change-labels';

describe('ChangeLabels', () => {
    it('names review states and file statuses as the view shows them', () => {
        assert.equal(ChangeLabels.review('partly-accepted'), 'partly accepted');
        assert.equal(ChangeLabels.review('pending'), 'pending');
        assert.deepEqual((['added', 'modified', 'deleted'] as const).map(ChangeLabels.statusLetter), ['A', 'M', 'D']);
    });

    it('makes an agent\'s name from its id', () => {
        assert.equal(ChangeLabels.agentName('claude'), 'Claude');
        assert.equal(ChangeLabels.agentName('code-reviewer'), 'Code Reviewer');
        assert.equal(ChangeLabels.agentName(''), '(no agent)');
    });

    it('says what a review does', () => {
        assert.equal(ChangeLabels.progress({ taskId: 3, decision: 'reject' }), 'Rejecting task #3');
        assert.equal(ChangeLabels.progress({ taskId: 3, path: 'src/a.ts', decision: 'accept' }), 'Accepting src/a.ts');
        assert.equal(ChangeLabels.failed({ taskId: 3, path: 'src/a.ts', hunk: 1, decision: 'reject' }), 'Could not reject hunk 2 of src/a.ts');
    });

    it('names the file, the reason and the conflicting lines of a conflict, a few of them', () => {
        const text = ChangeLabels.conflict({ taskId: 3, path: 'src/a.ts', hunk: 0, decision: 'reject' }, {
            path: 'src/a.ts', outcome: 'conflict', reason: 'The lines changed since the task.',
            conflicts: [
                { line: 4, current: 'const x = 2;\n', reviewed: 'const x = 1;\n', wanted: 'let x = 0;\n' },
                { line: 9, current: 'a\nb\n', reviewed: '', wanted: 'c\n' },
                { line: 20, current: 'x', reviewed: 'y', wanted: 'z' },
            ],
        }, 2);
        assert.equal(text, 'Could not reject hunk 1 of src/a.ts: src/a.ts was left as it is. The lines changed since the task. '
            + 'Line 4 now reads "const x = 2;"; the decision wanted "let x = 0;". Line 9 now reads "a ⏎ b"; the decision wanted "c". '
            + 'And 1 more conflicting region(s).');
    });
});

describe('ChangeLabels of a whole task', () => {
    it('names the file in conflict when the review was of the whole task', () => {
        const text = ChangeLabels.conflict({ taskId: 3, decision: 'accept' }, { path: 'b.ts', outcome: 'conflict', reason: 'Changed since.', conflicts: [] });
        assert.equal(text, 'Could not accept b.ts: b.ts was left as it is. Changed since.');
    });
});

describe('ChangeLabels.escapeMarkdown', () => {
    it('escapes what markdown would format, so a notification shows a file\'s text as written', () => {
        assert.equal(ChangeLabels.escapeMarkdown('return `Hi, ${name}!` * 2 & [x](y) # 1.'), 'return \\`Hi, ${name}\\!\\` \\* 2 \\& \\[x\\]\\(y\\) # 1.');
    });
});

describe('ChangeLabels of a change set waiting for review', () => {
    it('marks a waiting set as such, and says what Accept All and Reject All do to it', () => {
        const waiting = ChangeLabels.apply('waiting');
        assert.deepEqual([waiting.label, waiting.icon], ['waiting for review', 'watch']);
        assert.match(waiting.tooltip, /not in the workspace yet: only the agent sees them\. Accept All lands them all at once \(or none, if a file changed since\); Reject All discards them\./);
        assert.deepEqual((['applied', 'discarded'] as const).map(s => ChangeLabels.apply(s).label), ['landed after review', 'discarded']);
        assert.match(ChangeLabels.wholeSetOnly(), /accept or reject the whole task/);
    });
});

describe('ChangeLabels.lineOrigin', () => {
    it('says who last wrote a line, the task when one did, and how long ago', () => {
        const now = 10 * 60_000;
        assert.equal(ChangeLabels.lineOrigin('src/a.ts', 3, { by: 'Claude (agent tool)', taskId: 5, at: now - 3 * 60_000 }, now),
            'Line 3 of src/a.ts was last written by Claude (agent tool) in task #5, 3 min ago.');
        assert.equal(ChangeLabels.lineOrigin('src/a.ts', 1, { by: 'Ada (editor)', at: now }, now), 'Line 1 of src/a.ts was last written by Ada (editor), just now.');
    });
});

describe('ChangeLabels of overlaps and read edits', () => {
    it('says where another task met this one, and who edited what an agent had read', () => {
        assert.equal(ChangeLabels.overlap({ taskId: 4, agentId: 'gemini', kind: 'same-lines', lines: { start: 3, end: 5 } }), 'Task #4 (Gemini) changed the same lines 3–5');
        assert.match(ChangeLabels.overlap({ taskId: 4, agentId: 'gemini', kind: 'interleaved' }), /^Task #4 \(Gemini\) changed this file at the same time/);
        assert.equal(ChangeLabels.readEdit({ path: 'a.ts', by: 'Ada (editor)', at: 1, lines: { start: 2, end: 2 } }, 'claude'),
            'Ada (editor) edited a.ts, line 2, after Claude read it: its changes may rest on the old text');
    });
});
