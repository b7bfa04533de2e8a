import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TimelineFixture } from './timeline-test-support';
import { ImportProgress } from './timeline-types';

const transcript = path.resolve(__dirname, '../../../test/fixtures/transcripts/claude-code-session.jsonl');

const cartBefore = 'export interface Item {\n    sku: string;\n    price: number;\n    quantity: number;\n}\n\n'
    + 'export function total(items: Item[]): number {\n    return items.reduce((sum, i) => sum + i.price, 0);\n}\n';

describe('importing agent transcripts', () => {
    let fixture: TimelineFixture;
    beforeEach(() => {
        fixture = new TimelineFixture();
    });
    afterEach(() => fixture.dispose());

    it('imports a real-shaped Claude Code transcript: messages, thinking, tool calls and results, edits with their diffs, usage once per message; damaged and unknown lines reported by number', async () => {
        const timeline = fixture.timeline({ recordRun: false });
        const progress: ImportProgress[] = [];
        const report = await timeline.importFile(transcript, { onProgress: p => progress.push(p) });

        assert.equal(report.format, 'claude-code');
        assert.equal(report.lines, 22);
        assert.deepEqual(report.skipped.map(s => s.line), [11, 14, 17, 21]);
        assert.equal(report.skippedCount, 4);
        assert.match(report.skipped[0].reason, /not valid JSON/);
        assert.match(report.skipped[1].reason, /unknown entry type "telemetry-beacon"/);
        assert.match(report.skipped[2].reason, /not a JSON object/);
        assert.match(report.skipped[3].reason, /assistant entry without message\.content/);
        assert.deepEqual(report.ignored.map(i => [i.type, i.lines]), [['summary (the session title)', [1]], ['file-history-snapshot', [7]], ['(blank line)', [18]]]);
        assert.equal(report.sessions.length, 1);
        assert.equal(report.sessions[0].title, 'Fix cart total ignoring quantities');
        assert.equal(report.events, 22);
        assert.equal(progress[progress.length - 1].bytesRead, fs.statSync(transcript).size);

        const id = report.sessions[0].id;
        const session = timeline.session(id);
        assert.equal(session.kind, 'import');
        assert.equal(session.source, 'claude-code:claude-code-session.jsonl');
        assert.deepEqual(session.lanes, [{ id: 'claude-code', name: 'Claude Code' }]);
        assert.equal(session.startedAt, Date.parse('2025-09-02T14:00:00.000Z'));
        assert.ok(session.endedAt !== undefined);

        const events = timeline.page(id, {}, 0, 100).events;
        assert.deepEqual(events.map(e => e.kind), [
            'chat-message', 'model-turn', 'model-turn', 'tool-call', 'usage', 'tool-call', 'model-turn', 'tool-call', 'usage', 'tool-call', 'file-edit',
            'tool-call', 'usage', 'tool-call', 'file-edit', 'tool-call', 'usage', 'tool-call', 'note', 'model-turn', 'usage', 'chat-message',
        ]);
        assert.equal(timeline.event(events[1].seq).data.reasoning, true, 'thinking is a model turn marked as reasoning');
        // Usage: one event per message (Claude Code repeats it on every content block line), with the final output count.
        const usage = events.filter(e => e.kind === 'usage').map(e => timeline.event(e.seq).data.usage as Record<string, number>);
        assert.deepEqual(usage.map(u => [u.inputTokens, u.outputTokens, u.cacheReadTokens, u.cacheWriteTokens]), [
            [4, 96, 13542, 2817], [7, 214, 16359, 310], [5, 188, 16669, 420], [6, 61, 17089, 190], [8, 73, 17280, 0],
        ]);
        // Tool calls carry workspace-relative paths; results are matched to their calls.
        assert.deepEqual(events.filter(e => e.kind === 'tool-call').map(e => e.path), ['src/cart.ts', 'src/cart.ts', 'src/cart.ts', 'src/cart.ts', 'test/cart.test.ts', 'test/cart.test.ts', undefined, undefined]);
        const bash = timeline.event(events[17].seq).data;
        assert.equal((bash.call as { name: string }).name, 'Bash');
        assert.match((bash.result as { content: string }).content, /1 passed/);
        assert.match(events[17].summary, /^Bash npx jest test\/cart\.test\.ts → PASS/);

        // The edit's diff, and the file before and after it.
        const edit = events[10];
        assert.equal(edit.summary, 'Edited src/cart.ts (+1 −1)');
        const before = timeline.fileAt(id, 'src/cart.ts', edit.seq - 1);
        const after = timeline.fileAt(id, 'src/cart.ts', edit.seq);
        assert.equal(before.status === 'exists' && before.content, cartBefore);
        assert.equal(after.status === 'exists' && after.content, cartBefore.replace('sum + i.price,', 'sum + i.price * i.quantity,'));
        const created = timeline.fileAt(id, 'test/cart.test.ts', events[14].seq);
        assert.match(created.status === 'exists' ? created.content : '', /toBe\(6\)/);
        assert.equal(timeline.fileAt(id, 'test/cart.test.ts', events[13].seq).status, 'absent');
        assert.deepEqual(timeline.editedFiles(id).map(f => [f.path, f.edits]), [['src/cart.ts', 1], ['test/cart.test.ts', 1]]);

        // The import is archived like any session.
        await timeline.flushArchive();
        const archived = fs.readFileSync(path.join(fixture.archiveDir, id, 'part-000001.jsonl'), 'utf8').trim().split('\n');
        assert.equal(archived.length, 1 + 22 + 1);
    });

    it('says clearly what is wrong with a file that is not a transcript, or not there', async () => {
        const timeline = fixture.timeline({ recordRun: false });
        const notes = path.join(fixture.root, 'notes.jsonl');
        fs.writeFileSync(notes, '{"hello": "world"}\n[1, 2]\n');
        await assert.rejects(timeline.importFile(notes), /neither a Claude Code session transcript .* nor a CODITECT timeline archive/);
        await assert.rejects(timeline.importFile(path.join(fixture.root, 'missing.jsonl')), /Cannot read .*missing\.jsonl: ENOENT/);
        await assert.rejects(timeline.importFile(fixture.root), /is not a file/);
    });

    it('imports a large transcript in chunks without holding up the event loop, and reports every damaged line', async () => {
        const timeline = fixture.timeline({ recordRun: false });
        const big = path.join(fixture.root, 'big.jsonl');
        const lines: string[] = [];
        for (let i = 0; i < 6000; i++) {
            const timestamp = new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString();
            lines.push(i % 1000 === 999 ? '{"type":"user","message":' : JSON.stringify({ type: i % 2 ? 'assistant' : 'user', timestamp, cwd: '/w', message: i % 2
                ? { id: `msg_${i}`, role: 'assistant', model: 'claude-x', content: [{ type: 'text', text: `answer ${i}` }] }
                : { role: 'user', content: `question ${i}` } }));
        }
        fs.writeFileSync(big, `${lines.join('\n')}\n`);
        let ticks = 0;
        const ticker = setInterval(() => ticks++, 1);
        const report = await timeline.importFile(big, { chunkSize: 500 });
        clearInterval(ticker);
        assert.deepEqual(report.skipped.map(s => s.line), [1000, 2000, 3000, 4000, 5000, 6000]);
        assert.equal(report.events, 6000 - 6);
        assert.ok(ticks > 0, 'timers ran during the import');
        assert.equal(timeline.session(report.sessions[0].id).eventCount, 5994);
    });
});
