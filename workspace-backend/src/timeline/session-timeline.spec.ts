import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { archivePartKey, parseArchiveLine } from './archive-format';
import { directoryArchiveSource, rebuildFromArchive, storeArchiveSource } from './archive-rebuild';
import { TimelineFixture } from './timeline-test-support';
import { TimelineEventKind, TimelineEventKinds, TimelineFilter } from './timeline-types';

const agents = ['claude', 'gemini', 'codex', 'kimi'];

/** Everything stored about a session's events, for comparing two databases. */
function dump(fixtureTimeline: { repo: { db: { all<T>(sql: string, ...p: (string | number)[]): T[] } } }, sessionId: string): unknown[] {
    return fixtureTimeline.repo.db.all('SELECT id, n, kind, agent_id, task_id, path, summary, data_json, at FROM timeline_events WHERE session_id = ? ORDER BY n', sessionId);
}

describe('SessionTimeline', () => {
    let fixture: TimelineFixture;
    beforeEach(() => {
        fixture = new TimelineFixture();
    });
    afterEach(() => fixture.dispose());

    it('records in the order events were handed over, batched, with dense positions, growing sequence numbers and times that never go back', async () => {
        const timeline = fixture.timeline({ flushDelayMs: 5 });
        const session = timeline.currentSessionId!;
        const appended: number[] = [];
        timeline.onDidAppend(batch => appended.push(batch.events.length));
        // Four "agents" interleave from timers, as concurrent agents do; times deliberately out of order.
        const handed: string[] = [];
        await Promise.all(agents.map((agent, a) => (async () => {
            for (let i = 0; i < 50; i++) {
                await new Promise(resolve => setTimeout(resolve, (i * 7 + a * 3) % 4));
                const tag = `${agent}-${i}`;
                handed.push(tag);
                timeline.record({ kind: 'tool-call', agentId: agent, taskId: a + 1, at: 1_000_000 + ((i * 31) % 17), data: { phase: 'started', call: { id: tag, name: 'read_file', arguments: { path: `src/${agent}.ts` } } } });
            }
        })()));
        await new Promise(resolve => setTimeout(resolve, 20));
        const page = timeline.page(session, {}, 0, 1000);
        assert.equal(page.total, 200);
        assert.deepEqual(page.events.map(e => ((timeline.event(e.seq).data.call as { id: string }).id)), handed, 'stored in hand-over order');
        assert.deepEqual(page.events.map(e => e.n), [...Array(200).keys()]);
        for (let i = 1; i < page.events.length; i++) {
            assert.ok(page.events[i].seq > page.events[i - 1].seq, 'sequence numbers grow');
            assert.ok(page.events[i].at >= page.events[i - 1].at, 'times never go back');
        }
        assert.ok(appended.length < 200, `batched: ${appended.length} commits for 200 events`);
        assert.equal(appended.reduce((a, b) => a + b, 0), 200);
        const info = timeline.session(session);
        assert.deepEqual(info.lanes.map(l => l.id), [...new Set(handed.map(tag => tag.split('-')[0]))], 'lanes in order of first appearance');
        assert.equal(info.eventCount, 200);
        assert.equal(info.live, true);
    });

    it('pages, counts and seeks filtered by agent, kind, file and task exactly as a scan of every event would', () => {
        const timeline = fixture.timeline();
        const session = timeline.currentSessionId!;
        const kinds: TimelineEventKind[] = ['tool-call', 'model-turn', 'file-edit', 'lock', 'task', 'note'];
        const all: { agent?: string; kind: TimelineEventKind; path?: string; task?: number }[] = [];
        for (let i = 0; i < 3000; i++) {
            const e = {
                agent: i % 11 === 0 ? undefined : agents[(i * 7) % 4], kind: kinds[(i * 5) % kinds.length],
                path: i % 3 === 0 ? `src/dir${i % 4}/f${i % 5}.ts` : undefined, task: i % 13 === 0 ? undefined : (i % 9) + 1,
            };
            all.push(e);
            timeline.record({ kind: e.kind, agentId: e.agent, path: e.path, taskId: e.task, data: { i } });
        }
        timeline.flush();
        const filters: TimelineFilter[] = [
            {}, { agents: ['gemini'] }, { agents: ['claude', ''] }, { kinds: ['file-edit', 'lock'] }, { path: 'src/dir1' }, { path: 'src/dir2/f2.ts' },
            { agents: ['kimi', 'codex'], kinds: ['tool-call'] }, { taskId: 4 }, { agents: [] }, { agents: ['claude'], kinds: ['note'], path: 'src' },
        ];
        const matches = (f: TimelineFilter, e: typeof all[number]) =>
            (f.agents === undefined || f.agents.includes(e.agent ?? '')) && (f.kinds === undefined || f.kinds.includes(e.kind))
            && (f.path === undefined || (e.path !== undefined && (e.path === f.path || e.path.startsWith(`${f.path}/`)))) && (f.taskId === undefined || e.task === f.taskId);
        for (const filter of filters) {
            const expected = all.map((e, n) => ({ ...e, n })).filter(e => matches(filter, e)).map(e => e.n);
            const label = JSON.stringify(filter);
            assert.equal(timeline.page(session, filter, 0, 1).total, expected.length, `count ${label}`);
            for (const offset of [0, 7, Math.floor(expected.length / 2), Math.max(0, expected.length - 3)]) {
                assert.deepEqual(timeline.page(session, filter, offset, 25).events.map(e => e.n), expected.slice(offset, offset + 25), `page ${label} @${offset}`);
            }
            for (const n of [0, 1, 999, 2500, 2999, 5000]) {
                const seek = timeline.seek(session, { n }, filter, 5);
                const index = expected.findIndex(x => x >= n);
                assert.equal(seek.index, index === -1 ? expected.length : index, `seek ${label} to ${n}`);
                assert.deepEqual(seek.events.map(e => e.n), index === -1 ? [] : expected.slice(index, index + 5), `seek ${label} to ${n}`);
            }
        }
        const some = timeline.page(session, {}, 1234, 1).events[0];
        assert.equal(timeline.seek(session, { seq: some.seq }).index, 1234);
        assert.equal(timeline.seek(session, { at: some.at }).events[0].at, some.at);
        assert.throws(() => timeline.page(session, { kinds: ['nonsense' as TimelineEventKind] }), /Unknown event kind "nonsense"/);
        assert.throws(() => timeline.page('no-such-session'), /There is no session "no-such-session"/);
        assert.throws(() => timeline.seek(session, { n: Number.NaN }), /Seek needs a number/);
        assert.ok(TimelineEventKinds.includes('budget'));
    });

    it('masks secrets and caps long payloads before anything is stored or archived', async () => {
        const secret = 'sk-live-ABCDEFGH12345678';
        const timeline = fixture.timeline({ secrets: () => [secret] });
        const session = timeline.currentSessionId!;
        timeline.record({ kind: 'tool-call', agentId: 'claude', data: { phase: 'finished', call: { id: '1', name: 'run_command', arguments: { command: `curl -H "x-api-key: ${secret}" x` } }, result: { content: 'y'.repeat(100_000), isError: false } } });
        timeline.recordFileEdit({ path: '.env', before: undefined, after: `KEY=${secret}\nOTHER=1\n`, agentId: 'claude' });
        await timeline.flushArchive();
        const raw = JSON.stringify(timeline.repo.db.all('SELECT * FROM timeline_events'));
        assert.ok(!raw.includes(secret), 'no secret in sessions.db');
        assert.ok(raw.length < 60_000, 'the long result was capped');
        const archived = fs.readFileSync(path.join(fixture.archiveDir, session, 'part-000001.jsonl'), 'utf8');
        assert.ok(!archived.includes(secret), 'no secret in the archive');
        const env = timeline.fileAt(session, '.env', timeline.page(session, {}, 1, 1).events[0].seq);
        assert.equal(env.status === 'exists' && env.content, 'KEY=***\nOTHER=1\n', 'the rebuilt file is the masked one, consistently');
    });

    it('the archive alone rebuilds the timeline: every session, event, sequence number and payload, from the store or the local folder', async () => {
        const first = fixture.timeline();
        const run1 = first.currentSessionId!;
        for (let i = 0; i < 500; i++) {
            first.record({ kind: i % 2 ? 'model-turn' : 'tool-call', agentId: agents[i % 4], taskId: 1 + (i % 3), data: { text: `turn ${i} ${'z'.repeat(i % 300)}` } });
            if (i % 50 === 0) {
                first.recordFileEdit({ path: 'src/a.ts', before: i === 0 ? undefined : `v${i - 50}\n`, after: `v${i}\n`, agentId: 'claude' });
            }
        }
        await first.stop();
        const parts = fixture.archiveDir && fs.readdirSync(path.join(fixture.archiveDir, run1));
        assert.ok(parts.length > 1, `rotated by size into ${parts.length} parts`);
        assert.ok(await fixture.store.head(archivePartKey(run1, parts.length)), 'the last part is in the store');
        const endLine = fs.readFileSync(path.join(fixture.archiveDir, run1, parts[parts.length - 1]), 'utf8').trim().split('\n').pop()!;
        assert.equal(parseArchiveLine(endLine).t, 'end');

        for (const source of [storeArchiveSource(fixture.store), directoryArchiveSource(fixture.archiveDir)]) {
            const fresh = fixture.timeline({ cluster: fixture.cluster(path.join(fixture.root, `rebuilt-${fixture.clusters.length}`)), recordRun: false, archive: undefined });
            const report = await rebuildFromArchive(fresh.repo, source);
            assert.deepEqual(report.skipped, []);
            assert.deepEqual(report.sessions.map(s => [s.id, s.events]), [[run1, 500 + 10]]);
            assert.deepEqual(dump(fresh, run1), dump(first, run1), `rebuilt from ${source.description}`);
            const original = first.repo.session(run1)!;
            assert.deepEqual({ ...fresh.session(run1), live: false }, { ...original, live: false });
            const again = await rebuildFromArchive(fresh.repo, source);
            assert.deepEqual([again.sessions, again.present], [[], [run1]], 'a second rebuild leaves present sessions alone');
        }
    });

    it('after a crash between commit and archive append, the next start ends the run and completes its archive from the database', async () => {
        const cluster = fixture.cluster();
        const crashed = fixture.timeline({ cluster });
        const run = crashed.currentSessionId!;
        for (let i = 0; i < 40; i++) {
            crashed.record({ kind: 'note', data: { text: `event ${i}` } });
        }
        await crashed.flushArchive();
        // The process dies: no stop. Its archive part loses its tail mid-line; the database has all 40.
        fixture.timelines.splice(fixture.timelines.indexOf(crashed), 1);
        const file = path.join(fixture.archiveDir, run, 'part-000001.jsonl');
        const text = fs.readFileSync(file, 'utf8');
        const lines = text.split('\n');
        fs.writeFileSync(file, `${lines.slice(0, 30).join('\n')}\n${lines[30].slice(0, 25)}`);

        const next = fixture.timeline({ cluster });
        assert.notEqual(next.currentSessionId, run);
        const sealed = next.session(run);
        assert.ok(sealed.endedAt !== undefined && !sealed.live);
        await next.flushArchive();
        const repaired = fs.readFileSync(file, 'utf8').trim().split('\n').map(l => parseArchiveLine(l));
        assert.deepEqual(repaired.filter(l => l.t === 'event').map(l => l.t === 'event' && l.n), [...Array(40).keys()]);
        assert.equal(repaired[repaired.length - 1].t, 'end');
    });

    it('exports a session as archive JSONL that imports back with the same events', async () => {
        const timeline = fixture.timeline();
        const run = timeline.currentSessionId!;
        timeline.record({ kind: 'chat-message', agentId: 'gemini', data: { role: 'user', text: 'hello' } });
        timeline.recordFileEdit({ path: 'a.txt', before: undefined, after: 'a\n', agentId: 'gemini' });
        timeline.recordFileEdit({ path: 'a.txt', before: 'a\n', after: 'a\nb\n', agentId: 'gemini' });
        const out = path.join(fixture.root, 'export.jsonl');
        const lines: string[] = [];
        assert.equal(await timeline.exportSession(run, line => void lines.push(line)), 3);
        fs.writeFileSync(out, `${lines.join('\n')}\n`);
        const report = await timeline.importFile(out);
        assert.equal(report.format, 'archive');
        assert.equal(report.sessions.length, 1);
        const imported = report.sessions[0].id;
        assert.notEqual(imported, run, 'the id is taken here, so the import gets a new one');
        assert.equal(timeline.session(imported).kind, 'import');
        const a = timeline.page(imported).events;
        assert.deepEqual(a.map(e => [e.kind, e.summary]), timeline.page(run).events.map(e => [e.kind, e.summary]));
        const state = timeline.fileAt(imported, 'a.txt', a[2].seq);
        assert.equal(state.status === 'exists' && state.content, 'a\nb\n');
    });
});
