import assert from 'node:assert/strict';
import { indexKey } from './remote-index';
import { Machine, storeFixtures, StoreFixture, waitFor } from './file-sync-test-support';

/** The final sync at stop (SIGTERM): what changed just before it reaches the store. */
describe('file sync: stop', function () {
    this.timeout(30_000);
    let fixture: StoreFixture;
    let machine: Machine;
    beforeEach(async () => {
        fixture = await storeFixtures.DirectoryObjectStore();
        machine = new Machine();
    });
    afterEach(async () => {
        await machine.dispose();
        await fixture.dispose();
    });

    it('uploads files in directories created just before it, which the watcher reported only as the directory', async () => {
        // A long debounce: nothing is uploaded before stop, so only the final sync can do it.
        const sync = await machine.start(fixture.store, { debounceMs: 60_000 });
        machine.write('notes/deep/a.txt', 'a');
        machine.write('notes/b.txt', 'b');
        await waitFor('the watcher', () => sync.pending().some(p => p.path === 'notes'));
        assert.equal(await fixture.store.head(indexKey('notes/b.txt')), undefined, 'not uploaded before stop');

        await machine.stop();
        assert.deepEqual(sync.pending(), []);
        for (const rel of ['notes/deep/a.txt', 'notes/b.txt']) {
            assert.ok(await fixture.store.head(indexKey(rel)), `${rel} reached the store`);
        }
    });
});
