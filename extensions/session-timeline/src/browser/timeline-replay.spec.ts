import * as assert from 'node:assert/strict';
import { TimelineReplay, TimelineReplayStepMs } from './timeline-replay';

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('TimelineReplay', () => {
    let index: number;
    let changes: number;
    let replay: TimelineReplay;

    beforeEach(() => {
        index = 0;
        changes = 0;
        replay = new TimelineReplay(() => index++, () => index >= 2, () => changes++);
    });
    afterEach(() => replay.dispose());

    it('steps until the last event, then stops by itself', async () => {
        replay.toggle();
        assert.equal(replay.playing, true);
        for (const deadline = Date.now() + 10_000; replay.playing && Date.now() < deadline;) {
            await pause(TimelineReplayStepMs);
        }
        assert.equal(index, 2, 'two steps, none past the end');
        assert.equal(replay.playing, false);
        assert.equal(changes, 2, 'a change when it started and when it stopped');
    });

    it('stops when toggled again or disposed, and no timer steps after', async () => {
        replay.toggle();
        replay.toggle();
        assert.equal(replay.playing, false);
        replay.toggle();
        replay.dispose();
        assert.equal(replay.playing, false);
        await pause(TimelineReplayStepMs * 2);
        assert.equal(index, 0);
    });
});
