import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KeyframeEvery, MaxRecordedFileBytes } from './file-edit-data';
import { TimelineFixture } from './timeline-test-support';

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number): () => number {
    let x = seed;
    return () => {
        x = (x * 1103515245 + 12345) % 2147483648;
        return x / 2147483648;
    };
}

describe('file reconstruction from the timeline\'s edit diffs', () => {
    let fixture: TimelineFixture;
    beforeEach(() => {
        fixture = new TimelineFixture();
    });
    afterEach(() => fixture.dispose());

    it('rebuilds every file at every sequence number, across keyframes, outside changes, creations and interleaved files', () => {
        const timeline = fixture.timeline();
        const session = timeline.currentSessionId!;
        const next = random(42);
        const files = ['src/a.ts', 'src/b.ts', 'docs/notes.md'];
        const current = new Map<string, string | undefined>(files.map(f => [f, undefined]));
        current.set('src/a.ts', 'export const a = 1;\n');
        const expected: { seq: number; state: Map<string, string | undefined> }[] = [];
        // 3 files, 150 edits: well past KeyframeEvery for each file, so rebuilds start from keyframes.
        for (let i = 0; i < 150; i++) {
            const file = files[Math.floor(next() * files.length)];
            const before = current.get(file);
            let lines = (before ?? '').split('\n');
            const at = Math.floor(next() * lines.length);
            const op = next();
            if (op < 0.4) {
                lines.splice(at, 0, `line ${i} of ${file}`);
            } else if (op < 0.7 && lines.length > 1) {
                lines.splice(at, 1);
            } else {
                lines[at] = `changed ${i}: ${lines[at] ?? ''}`;
            }
            if (i % 37 === 5) {
                // Someone changed the file outside the recorded edits: the next edit's "before" is not the last "after".
                lines = [`outside change ${i}`, ...lines];
            }
            const recordedBefore = i % 37 === 5 ? before === undefined ? undefined : `outside change ${i}\n${before}` : before;
            const after = lines.join('\n');
            timeline.recordFileEdit({ path: file, before: recordedBefore, after, agentId: i % 2 ? 'claude' : 'gemini', taskId: 1 + (i % 5) });
            // Unrelated events between edits, so sequence numbers of one file are not contiguous.
            timeline.record({ kind: 'note', data: { text: `step ${i}` } });
            timeline.flush();
            current.set(file, after);
            const last = timeline.page(session, { kinds: ['file-edit'] }, i, 1).events[0];
            expected.push({ seq: last.seq, state: new Map(current) });
        }
        const initialA = 'export const a = 1;\n';
        for (const [i, point] of expected.entries()) {
            for (const file of files) {
                const state = timeline.fileAt(session, file, point.seq);
                const want = point.state.get(file);
                if (want === undefined) {
                    assert.equal(state.status, 'absent', `${file} at #${point.seq} (edit ${i}): ${JSON.stringify(state)}`);
                } else {
                    assert.equal(state.status, 'exists', `${file} at #${point.seq} (edit ${i}): ${JSON.stringify(state)}`);
                    assert.equal(state.status === 'exists' && state.content, want, `${file} at #${point.seq} (edit ${i})`);
                }
            }
            // Between two edits (at the note after it), the file is as the edit left it.
            const between = timeline.fileAt(session, 'src/a.ts', point.seq + 1);
            assert.equal(between.status === 'exists' ? between.content : undefined, point.state.get('src/a.ts'));
        }
        // Before its first edit, src/a.ts is the first edit's base; the others did not exist yet.
        const firstSeq = expected[0].seq;
        const beforeAll = timeline.fileAt(session, 'src/a.ts', firstSeq - 1);
        if (expected[0].state.get('src/a.ts') !== initialA) {
            assert.equal(beforeAll.status === 'exists' && beforeAll.content, initialA);
        }
        // Keyframes were written: no rebuild needs more than KeyframeEvery patches.
        const edits = timeline.page(session, { kinds: ['file-edit'] }, 0, 1000).events;
        const keyframes = edits.filter(e => (timeline.event(e.seq).data.after as { content?: string } | undefined)?.content !== undefined);
        assert.ok(keyframes.length >= Math.floor(150 / KeyframeEvery / files.length), `only ${keyframes.length} keyframes`);
    });

    it('verified against the final content: the rebuild at the last edit equals the file on disk, and a tampered patch is reported, not returned', () => {
        const timeline = fixture.timeline();
        const session = timeline.currentSessionId!;
        const file = path.join(fixture.workspaceDir, 'x.txt');
        let content = 'one\ntwo\nthree\n';
        fs.writeFileSync(file, content);
        for (let i = 0; i < 10; i++) {
            const after = content.replace('two', `two ${i}`);
            timeline.recordFileEdit({ path: 'x.txt', before: content, after, agentId: 'codex' });
            fs.writeFileSync(file, after);
            content = after;
        }
        timeline.flush();
        const last = timeline.page(session, {}, 9, 1).events[0];
        const rebuilt = timeline.fileAt(session, 'x.txt', last.seq);
        assert.equal(rebuilt.status === 'exists' && rebuilt.content, fs.readFileSync(file, 'utf8'));

        // Damage one patch in the database: the hash check refuses the result and says where.
        const fifth = timeline.page(session, {}, 5, 1).events[0];
        const data = timeline.event(fifth.seq).data as { patch?: string };
        timeline.repo.db.run('UPDATE timeline_events SET data_json = ? WHERE id = ?', JSON.stringify({ ...data, patch: data.patch!.replace('+two 5', '+two FIVE') }), fifth.seq);
        const broken = timeline.fileAt(session, 'x.txt', last.seq);
        assert.equal(broken.status, 'unknown');
        assert.match(broken.status === 'unknown' ? broken.reason : '', new RegExp(`#${fifth.seq}`));
    });

    it('a file the session never edited is read from the workspace; a file too large is recorded by hash and reported as not rebuildable', () => {
        const timeline = fixture.timeline();
        const session = timeline.currentSessionId!;
        fs.writeFileSync(path.join(fixture.workspaceDir, 'untouched.md'), '# as it is\n');
        const big = 'x'.repeat(MaxRecordedFileBytes + 10);
        timeline.recordFileEdit({ path: 'big.bin.txt', before: big, after: `${big}y` });
        timeline.flush();
        const untouched = timeline.fileAt(session, 'untouched.md', 1);
        assert.deepEqual(untouched.status === 'exists' && [untouched.content, untouched.source], ['# as it is\n', 'workspace']);
        assert.equal(timeline.fileAt(session, 'missing.md', 1).status, 'absent');
        const seq = timeline.page(session, {}, 0, 1).events[0].seq;
        const large = timeline.fileAt(session, 'big.bin.txt', seq);
        assert.equal(large.status, 'unknown');
        assert.match(large.status === 'unknown' ? large.reason : '', /larger than/);
        assert.ok(!(timeline.event(seq).data as { after?: { content?: string } }).after?.content, 'the large content is not stored');
    });
});
