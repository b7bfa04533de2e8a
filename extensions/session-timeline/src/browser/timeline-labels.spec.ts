import * as assert from 'node:assert/strict';
import type { TimelineEventSummary } from '../common/session-timeline-protocol';
import { TimelineEventCache } from './timeline-event-cache';
import { TimelineLabels } from './timeline-labels';

const event = (n: number): TimelineEventSummary => ({ seq: 1000 + n, n, sessionId: 's', at: n, kind: 'note', summary: `#${n}` });

describe('TimelineLabels', () => {
    it('colours lanes from Theia\'s chart colours in order, the studio lane in the description colour', () => {
        const lanes = [{ id: 'claude', name: 'Claude' }, { id: 'gemini', name: 'Gemini' }];
        assert.equal(TimelineLabels.laneColor(lanes, 'gemini'), 'var(--theia-charts-orange)');
        assert.equal(TimelineLabels.laneColor(lanes, ''), 'var(--theia-descriptionForeground)');
        assert.deepEqual(TimelineLabels.lanesOf({ id: 's', kind: 'run', title: '', startedAt: 0, eventCount: 0, lanes, live: true }).map(l => l.name), ['Claude', 'Gemini', 'Studio']);
    });

    it('says durations and counts the way people do', () => {
        assert.equal(TimelineLabels.duration(420), '420 ms');
        assert.equal(TimelineLabels.duration(4200), '4.2 s');
        assert.equal(TimelineLabels.duration(185_000), '3 min 5 s');
        assert.equal(TimelineLabels.count(100_000, 'event'), '100,000 events');
        assert.equal(TimelineLabels.count(1, 'event'), '1 event');
    });
});

describe('TimelineEventCache', () => {
    it('holds fetched events by index across pages, asks for each missing page once, and drops answers of an older generation', () => {
        const cache = new TimelineEventCache(10);
        const generation = cache.generation;
        assert.deepEqual(cache.missing(5, 25, 100), [0, 10, 20]);
        assert.deepEqual(cache.missing(5, 25, 100), [], 'asked for already');
        // A seek to the end of a session stores its last event alone: the rest of that page is still missing.
        const sparse = new TimelineEventCache(200);
        sparse.store(sparse.generation, 103, [event(103)]);
        assert.equal(sparse.get(103)?.n, 103);
        assert.deepEqual(sparse.missing(98, 110, 104), [0]);
        // A seek answer lands at any offset, spread over its pages.
        assert.ok(cache.store(generation, 7, Array.from({ length: 10 }, (_, i) => event(7 + i))));
        assert.equal(cache.get(7)?.n, 7);
        assert.equal(cache.get(16)?.n, 16);
        assert.equal(cache.get(6), undefined);
        const next = cache.reset();
        assert.equal(cache.store(generation, 0, [event(0)]), false, 'an answer for the old filter is dropped');
        assert.equal(cache.get(7), undefined);
        assert.deepEqual(cache.missing(0, 5, 3), [0]);
        cache.store(next, 0, [event(0), event(1), event(2)]);
        assert.deepEqual(cache.missing(0, 5, 3), []);
        cache.grew(3);
        assert.deepEqual(cache.missing(0, 5, 6), [0], 'the partial last page is fetched again once the session grew');
    });
});
