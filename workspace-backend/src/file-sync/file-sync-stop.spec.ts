import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { indexKey } from './remote-index';
import { waitForValue } from '../common/test-support/wait-for-value';
import { Machine, storeFixtures, StoreFixture } from './file-sync-test-support';

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
        await waitForValue('the watcher', () => sync.pending().some(p => p.path === 'notes'), 10_000);
        assert.equal(await fixture.store.head(indexKey('notes/b.txt')), undefined, 'not uploaded before stop');

        await machine.stop();
        assert.deepEqual(sync.pending(), []);
        for (const rel of ['notes/deep/a.txt', 'notes/b.txt']) {
            assert.ok(await fixture.store.head(indexKey(rel)), `${rel} reached the store`);
        }
    });

    it('also when the file had its own event (the directory\'s sync marks it again after its upload)', async () => {
        const sync = await machine.start(fixture.store, { debounceMs: 60_000 });
        machine.write('notes/b.txt', 'b');
        await waitForValue('the directory\'s event', () => sync.pending().some(p => p.path === 'notes'), 10_000);
        machine.write('notes/b.txt', 'b, changed');
        await waitForValue('the file\'s event', () => sync.pending().some(p => p.path === 'notes/b.txt'), 10_000);

        await machine.stop();
        assert.deepEqual(sync.pending(), []);
        assert.ok(await fixture.store.head(indexKey('notes/b.txt')));
    });

    it('leaves a path that fails pending, and stops', async () => {
        const sync = await machine.start(fixture.store, { debounceMs: 60_000 });
        machine.write('notes/b.txt', 'b');
        await waitForValue('the watcher', () => sync.pending().some(p => p.path === 'notes'), 10_000);
        // The store refuses every write from now on.
        fixture.store.put = () => Promise.reject(new Error('the store is down'));
        fixture.store.putStream = () => Promise.reject(new Error('the store is down'));

        const started = Date.now();
        await machine.stop();
        assert.ok(Date.now() - started < 10_000, 'no endless retries at stop');
        assert.deepEqual(sync.pending().map(p => [p.path, p.error]), [['notes/b.txt', 'the store is down']]);
    });

    it('a store that refuses an upload without reading it leaves no stray error behind when the file then goes away', async () => {
        const sync = await machine.start(fixture.store, { debounceMs: 60_000 });
        machine.write('notes/b.txt', 'b');
        await waitForValue('the watcher', () => sync.pending().some(p => p.path === 'notes'), 10_000);
        let refused = 0;
        // Refuses at once, never reading the stream, and the file is gone before the stream opens it:
        // its ENOENT used to escape as an uncaught error (and fail whatever test ran then).
        fixture.store.putStream = () => {
            refused++;
            fs.rmSync(path.join(machine.workspace, 'notes', 'b.txt'), { force: true });
            return Promise.reject(new Error('the store is down'));
        };
        await machine.stop();
        assert.ok(refused >= 1, 'the upload was tried');
        // Let the stream's open run (and fail) before the test ends.
        await new Promise(resolve => setTimeout(resolve, 100));
    });
});
