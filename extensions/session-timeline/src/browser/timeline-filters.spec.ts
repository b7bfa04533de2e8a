import * as assert from 'node:assert/strict';
import type { SessionInfo } from '../common/session-timeline-protocol';
import { TimelineFilters } from './timeline-filters';
import { TimelineLabels } from './timeline-labels';

const session: SessionInfo = { id: 's', kind: 'run', title: 'Run', startedAt: 0, eventCount: 0, lanes: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], live: false };

describe('TimelineFilters', () => {
    it('asks for nothing when nothing is narrowed', () => {
        assert.equal(TimelineFilters.none.active, false);
        assert.deepEqual(TimelineFilters.none.toFilter(session), {});
    });

    it('turns hidden lanes into the lanes still shown, the studio lane included', () => {
        const filters = TimelineFilters.none.withHiddenLanes(new Set(['a']));
        assert.deepEqual(filters.toFilter(session), { agents: ['b', ''] });
        assert.deepEqual(TimelineFilters.onlyLane(session, 'b', 7).toFilter(session), { agents: ['b'], taskId: 7 });
    });

    it('treats every kind picked as no kinds filter, and a blank path as none', () => {
        assert.equal(TimelineFilters.none.withKinds(TimelineLabels.allKinds).kinds, undefined);
        assert.deepEqual(TimelineFilters.none.withKinds(['task']).toFilter(session), { kinds: ['task'] });
        const blank = TimelineFilters.none.withPath('  ');
        assert.equal(blank.active, false);
        assert.deepEqual(TimelineFilters.none.withPath(' src/a.ts ').toFilter(session), { path: 'src/a.ts' });
    });
});
