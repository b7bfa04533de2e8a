import * as assert from 'node:assert/strict';
import type { SessionTimelineService, TimelineEventSummary, TimelineFilter, TimelinePage } from '../common/session-timeline-protocol';
import { TimelinePaging } from './timeline-paging';

const event = (n: number): TimelineEventSummary => ({ seq: 100 + n, n, sessionId: 's', at: n, kind: 'note', summary: `event ${n}` });

/** Pages answered only when the test says so, so it can reset in between. */
class HeldPages {
    readonly asked: { offset: number; limit: number; answer: (page: TimelinePage) => void }[] = [];
    readonly service = {
        page: (_session: string, _filter: TimelineFilter, offset: number, limit: number) =>
            new Promise<TimelinePage>(answer => this.asked.push({ offset, limit, answer })),
    } as unknown as SessionTimelineService;

    answer(i: number, count: number, total: number): void {
        const { offset, answer } = this.asked[i];
        answer({ total, offset, events: Array.from({ length: count }, (_, k) => event(offset + k)) });
    }
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

describe('TimelinePaging', () => {
    let held: HeldPages;
    let paging: TimelinePaging;
    let loaded: number;

    beforeEach(() => {
        held = new HeldPages();
        paging = new TimelinePaging(held.service, () => 10);
        loaded = 0;
    });

    it('drops a page asked for before the indexes changed meaning', async () => {
        paging.grew('s', {}, false, 30, () => loaded++);
        paging.readRange('s', {}, 0, 0, () => loaded++, () => undefined);
        assert.deepEqual(held.asked.map(a => a.offset), [0]);
        paging.reset();
        held.answer(0, 10, 30);
        await settle();
        assert.equal(paging.eventAt(0), undefined, 'not stored under the new filter\'s indexes');
        assert.equal(loaded, 1, 'only the growth was news');
    });

    it('stores a page under its indexes and asks again for one that came back short', async () => {
        paging.grew('s', {}, false, 30, () => loaded++);
        paging.readRange('s', {}, 12, 12, () => loaded++, () => undefined);
        assert.deepEqual(held.asked.map(a => a.offset), [0, 10]);
        held.answer(0, 10, 30);
        held.answer(1, 4, 30);
        await settle();
        assert.equal(paging.eventAt(3)?.n, 3);
        assert.equal(paging.eventAt(13)?.n, 13);
        paging.readRange('s', {}, 12, 12, () => loaded++, () => undefined);
        assert.deepEqual(held.asked.map(a => a.offset), [0, 10, 10], 'the short page is asked for again, the whole one not');
    });

    it('learns a filtered session\'s new total from the events past the old end', async () => {
        paging.grew('s', { agents: ['a'] }, true, 50, () => loaded++);
        assert.deepEqual(held.asked.map(a => a.offset), [0]);
        assert.equal(paging.total, 0, 'not the whole session\'s count');
        held.answer(0, 3, 3);
        await settle();
        assert.equal(paging.total, 3);
        assert.equal(loaded, 1);
    });
});
