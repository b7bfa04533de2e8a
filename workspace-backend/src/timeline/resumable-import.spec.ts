import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArchiveLine } from './archive-format';
import { TimelineFixture } from './timeline-test-support';
import type { TimelineEventInput } from './timeline-types';

const eventsOf = (count: number): TimelineEventInput[] => [...Array(count).keys()].map(i => ({
    kind: 'chat-message', agentId: i % 2 ? 'claude' : undefined, at: 1_000_000 + i * 1000, data: { role: i % 2 ? 'agent' : 'user', text: `message ${i}` },
}));

const spec = { id: 'v1-s001', title: 'Fix the login bug', source: 'v1:u0001/s001', startedAt: 1_000_000, lanes: [{ id: 'claude', name: 'Claude' }] };

describe('SessionTimeline.importResumably', () => {
    let fixture: TimelineFixture;

    beforeEach(() => {
        fixture = new TimelineFixture();
    });

    afterEach(async () => {
        await fixture.dispose();
    });

    const archiveLines = (id: string) => fs.readdirSync(path.join(fixture.archiveDir, id)).sort()
        .flatMap(part => fs.readFileSync(path.join(fixture.archiveDir, id, part), 'utf8').trim().split('\n').map(l => parseArchiveLine(l)));

    it('an import cut off part way, run again, leaves the session and its archive as one whole import would', async () => {
        const cluster = fixture.cluster();
        const first = fixture.timeline({ cluster, recordRun: false });
        // The first run got 40 events in before it was stopped; the archive lost its last ten lines mid-line.
        assert.deepEqual(await first.importResumably(spec, eventsOf(40), 7), { added: 40, events: 40 });
        const file = path.join(fixture.archiveDir, spec.id, 'part-000001.jsonl');
        const lines = fs.readFileSync(file, 'utf8').split('\n');
        fs.writeFileSync(file, `${lines.slice(0, 31).join('\n')}\n${lines[31].slice(0, 20)}`);

        const again = fixture.timeline({ cluster, recordRun: false });
        assert.deepEqual(await again.importResumably({ ...spec, endedAt: 2_000_000 }, eventsOf(100), 7), { added: 60, events: 100 });
        const session = again.session(spec.id);
        assert.equal(session.eventCount, 100);
        assert.equal(session.endedAt, 2_000_000);
        const page = again.page(spec.id, {}, 0, 200);
        assert.ok(page.events.every((e, i) => e.summary.includes(`message ${i}`) && e.at === 1_000_000 + i * 1000), 'every event once, in order, at its own time');
        assert.deepEqual(page.events.map(e => e.n), [...Array(100).keys()]);
        const archived = archiveLines(spec.id);
        assert.deepEqual(archived.filter(l => l.t === 'event').map(l => l.t === 'event' && l.n), [...Array(100).keys()]);
        assert.equal(archived[archived.length - 1].t, 'end');

        // Once more: nothing to add, nothing written.
        assert.deepEqual(await again.importResumably({ ...spec, endedAt: 2_000_000 }, eventsOf(100)), { added: 0, events: 100 });
        assert.equal(archiveLines(spec.id).length, archived.length);
    });

    it('refuses a source that is not the session\'s, that lost events, or that grew after its session ended', async () => {
        const timeline = fixture.timeline({ recordRun: false });
        await timeline.importResumably({ ...spec, endedAt: 1_500_000 }, eventsOf(10));
        await assert.rejects(timeline.importResumably({ ...spec, source: 'v1:u0002/s001' }, eventsOf(10)), /exists and is not the import of v1:u0002\/s001/);
        await assert.rejects(timeline.importResumably(spec, eventsOf(9)), /holds 10 events, more than the 9 of v1:u0001\/s001/);
        await assert.rejects(timeline.importResumably(spec, eventsOf(12)), /imported as ended, and v1:u0001\/s001 has 2 event\(s\) more/);
        await assert.rejects(timeline.importResumably({ ...spec, id: '../x' }, eventsOf(1)), /is not a session id/);
        assert.equal(timeline.session(spec.id).eventCount, 10);
    });
});
