import * as assert from 'node:assert/strict';
import { Emitter } from '@theia/core/lib/common/event';
import { MessageService } from '@theia/core/lib/common/message-service';
import { Container } from '@theia/core/shared/inversify';
import { SessionTimelinePreferences, TimelineFollowLivePreference, TimelinePageSizePreference } from '../common/session-timeline-preferences';
import {
    SeekResult, SeekTarget, SessionInfo, SessionTimelineService, TimelineEvent, TimelineEventSummary, TimelineFilter, TimelinePage,
} from '../common/session-timeline-protocol';
import { SessionTimelineClientImpl } from './session-timeline-client-impl';
import { SessionTimelineModel } from './session-timeline-model';

const lanes = [{ id: 'a', name: 'Agent A' }, { id: 'b', name: 'Agent B' }];

/** Events 0..count-1 of `sessionId`, alternating between the lanes a and b; seq = 1000 + n. */
function eventsOf(sessionId: string, count: number): TimelineEventSummary[] {
    return Array.from({ length: count }, (_, n) => ({ seq: 1000 + n, n, sessionId, at: n * 1000, kind: 'note' as const, agentId: n % 2 ? 'b' : 'a', summary: `event ${n}` }));
}

/** A timeline backend over in-memory events that filters and seeks like the real one, and records the filters it was asked for. */
class FakeTimelineService implements Partial<SessionTimelineService> {
    sessionList: SessionInfo[] = [
        { id: 'live', kind: 'run', title: 'Now', startedAt: 0, eventCount: 10, lanes, live: true },
        { id: 'old', kind: 'run', title: 'Yesterday', startedAt: 0, eventCount: 4, lanes, live: false, endedAt: 4000 },
    ];
    events: Record<string, TimelineEventSummary[]> = { live: eventsOf('live', 10), old: eventsOf('old', 4) };
    readonly filters: TimelineFilter[] = [];
    seeks = 0;
    /** A seek waits for this, when set: lets a test answer seeks out of order. */
    seekGate: ((target: SeekTarget) => Promise<void>) | undefined;

    protected matching(sessionId: string, filter: TimelineFilter): TimelineEventSummary[] {
        this.filters.push(filter);
        return this.events[sessionId].filter(e => (!filter.agents || filter.agents.includes(e.agentId ?? '')) && (filter.taskId === undefined || e.taskId === filter.taskId));
    }
    async sessions() { return this.sessionList.map(s => ({ ...s })); }
    async seek(sessionId: string, target: SeekTarget, filter: TimelineFilter, limit: number): Promise<SeekResult> {
        this.seeks++;
        const all = this.matching(sessionId, filter);
        await this.seekGate?.(target);
        const n = 'n' in target ? target.n : 0;
        const found = all.findIndex(e => e.n >= n);
        const index = found < 0 ? all.length : found;
        return { index, total: all.length, events: all.slice(index, index + limit) };
    }
    async page(sessionId: string, filter: TimelineFilter, offset: number, limit: number): Promise<TimelinePage> {
        const all = this.matching(sessionId, filter);
        return { total: all.length, offset, events: all.slice(offset, offset + limit) };
    }
    async event(seq: number): Promise<TimelineEvent> {
        const summary = Object.values(this.events).flat().find(e => e.seq === seq)!;
        return { ...summary, data: {} };
    }
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

describe('SessionTimelineModel', () => {
    let service: FakeTimelineService;
    let client: SessionTimelineClientImpl;
    let infos: string[];
    let scrolls: number[];

    function createModel(): SessionTimelineModel {
        const container = new Container();
        container.bind(SessionTimelineService).toConstantValue(service as unknown as SessionTimelineService);
        container.bind(SessionTimelineClientImpl).toSelf().inSingletonScope();
        container.bind(MessageService).toConstantValue({
            info: async (text: string) => { infos.push(text); return undefined; },
            warn: async (text: string) => { infos.push(text); return undefined; },
        } as unknown as MessageService);
        container.bind(SessionTimelinePreferences).toConstantValue({
            [TimelinePageSizePreference]: 50, [TimelineFollowLivePreference]: true, onPreferenceChanged: new Emitter().event,
        } as unknown as SessionTimelinePreferences);
        container.bind(SessionTimelineModel).toSelf();
        client = container.get(SessionTimelineClientImpl);
        const model = container.get(SessionTimelineModel);
        model.onDidRequestScroll(index => scrolls.push(index));
        return model;
    }

    beforeEach(() => {
        service = new FakeTimelineService();
        infos = [];
        scrolls = [];
    });

    it('opens the live session at its last event, selected, scrolled to and followed', async () => {
        const model = createModel();
        await model.ready;
        await settle();
        assert.equal(model.session?.id, 'live');
        assert.equal(model.total, 10);
        assert.equal(model.selected?.n, 9);
        assert.equal(model.following, true);
        assert.deepEqual(scrolls, [9]);
        assert.equal(model.detail?.seq, 1009, 'the selected event\'s detail is read');
    });

    it('reveals an agent: the other lanes are hidden and the filter asks for that agent only', async () => {
        const model = createModel();
        await model.ready;
        await model.reveal('old', { agentId: 'b', target: { n: 0 } });
        assert.deepEqual([...model.hiddenLanes].sort(), ['', 'a']);
        assert.deepEqual(service.filters.at(-1), { agents: ['b'] });
        assert.equal(model.total, 2);
        assert.equal(model.selected?.agentId, 'b');
        assert.equal(model.filtered, true);
        await model.clearFilters();
        assert.equal(model.filtered, false);
        assert.equal(model.total, 4);
    });

    it('keeps one lane visible: hiding the last one is refused with a message', async () => {
        const model = createModel();
        await model.ready;
        model.toggleLane('a');
        model.toggleLane('');
        await settle();
        assert.deepEqual(service.filters.at(-1), { agents: ['b'] });
        model.toggleLane('b');
        assert.match(infos[0], /At least one lane stays visible/);
        assert.deepEqual([...model.hiddenLanes].sort(), ['', 'a']);
    });

    it('applies only the latest seek when answers come back out of order', async () => {
        const model = createModel();
        await model.ready;
        const waiting = new Map<number, () => void>();
        service.seekGate = target => new Promise(resolve => waiting.set('n' in target ? target.n : -1, resolve));
        const first = model.seekTo({ n: 2 });
        const second = model.seekTo({ n: 5 });
        await settle();
        waiting.get(5)!();
        await second;
        waiting.get(2)!();
        await first;
        assert.equal(model.selected?.n, 5);
        assert.equal(model.position, 5);
    });

    it('steps through fetched events without asking the backend again', async () => {
        const model = createModel();
        await model.ready;
        await settle();
        model.fetchRange(0, 9);
        await settle();
        const requests = service.filters.length;
        model.step(-3);
        assert.equal(model.selected?.n, 6);
        assert.equal(model.following, false, 'stepping back leaves the live end');
        assert.equal(service.filters.length, requests);
        assert.deepEqual(scrolls.at(-1), 6);
        model.fetchRange(0, 9);
        assert.equal(service.filters.length, requests, 'pages held whole are not fetched again');
    });

    it('follows a growing live session only while shown, and catches up once shown again', async () => {
        const model = createModel();
        let shown = false;
        model.setVisibility(() => shown);
        await model.ready;
        await settle();
        service.events.live = eventsOf('live', 12);
        const seeks = service.seeks;
        client.onTimelineGrew({ sessionId: 'live', eventCount: 12, lanes });
        await settle();
        assert.equal(service.seeks, seeks, 'no seek for a view nobody sees');
        assert.equal(model.session?.eventCount, 12);
        assert.equal(model.selected?.n, 9);
        shown = true;
        model.catchUp();
        await settle();
        await settle();
        assert.equal(model.selected?.n, 11);
        assert.equal(model.following, true);
    });
});
