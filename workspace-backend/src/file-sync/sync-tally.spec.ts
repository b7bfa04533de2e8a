import * as assert from 'node:assert/strict';
import { Emitter } from '../common/emitter';
import type { FileSyncEvent } from './file-sync-types';
import { SyncTally } from './sync-tally';

describe('SyncTally', () => {
    it('counts each upload, download and conflict as it announces it', () => {
        const events = new Emitter<FileSyncEvent>();
        const seen: FileSyncEvent[] = [];
        events.event(e => seen.push(e));
        const tally = new SyncTally(events);
        tally.uploaded('a.ts', false);
        tally.uploaded('gone.ts', true);
        tally.downloaded('b.ts', false);
        tally.conflict('c.ts', 'c (conflict).ts', 'both changed');
        assert.deepEqual(tally.counts, { uploaded: 2, downloaded: 1, conflicts: 1 });
        assert.deepEqual(seen, [
            { type: 'uploaded', path: 'a.ts', deleted: false },
            { type: 'uploaded', path: 'gone.ts', deleted: true },
            { type: 'downloaded', path: 'b.ts', deleted: false },
            { type: 'conflict', path: 'c.ts', remoteCopy: 'c (conflict).ts', message: 'both changed' },
        ]);
    });

    it('hands out a copy of its counts, which only it changes', () => {
        const tally = new SyncTally(new Emitter<FileSyncEvent>());
        const before = tally.counts as { uploaded: number };
        before.uploaded = 99;
        assert.equal(tally.counts.uploaded, 0);
    });
});
