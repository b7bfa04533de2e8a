import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ObjectStore } from '../object-store/object-store';
import { waitForValue } from '../common/test-support/wait-for-value';
import { Machine, StoreFixture, storeFixtures, storeKeys } from './file-sync-test-support';
import { indexKey, parseIndexEntry } from './remote-index';

/** One spec body against both stores: the directory store (also a GCS FUSE mount) and GCS. */
for (const [name, make] of Object.entries(storeFixtures)) {
    describe(`file sync: ${name}`, function () {
        this.timeout(30_000);
        let fixture: StoreFixture;
        let store: ObjectStore;
        let a: Machine;
        let b: Machine;
        beforeEach(async () => {
            fixture = await make();
            store = fixture.store;
            a = new Machine();
            b = new Machine();
        });
        afterEach(async () => {
            await a.dispose();
            await b.dispose();
            await fixture.dispose();
        });

        const remoteEntry = async (rel: string) => {
            const info = await store.head(indexKey(rel));
            return info ? parseIndexEntry(await store.get(indexKey(rel)), rel) : undefined;
        };

        it('uploads a saved file once it settles, records deletes, and skips what is ignored', async () => {
            a.write('.studioignore', 'secret/\n*.log\n!keep.log\n');
            const sync = await a.start(store);
            a.write('src/main.ts', 'export const x = 1;\n');
            a.write('node_modules/dep/index.js', 'module.exports = 1;');
            a.write('dist/out.js', 'built');
            a.write('secret/key.txt', 'no');
            a.write('debug.log', 'no');
            a.write('keep.log', 'yes');
            await waitForValue('the upload', async () => (await remoteEntry('src/main.ts'))?.sha256 !== undefined && (await remoteEntry('keep.log')) !== undefined, 10_000);
            await sync.syncNow();
            const indexed = (await storeKeys(store, 'files/index/')).sort();
            assert.deepEqual(indexed, [indexKey('.studioignore'), indexKey('keep.log'), indexKey('src/main.ts')].sort());
            fs.rmSync(path.join(a.workspace, 'src/main.ts'));
            await waitForValue('the tombstone', async () => (await remoteEntry('src/main.ts'))?.deleted === true, 10_000);
            await waitForValue('nothing pending', () => sync.pending().length === 0, 10_000);
            assert.ok(a.events.some(e => e.type === 'uploaded' && e.path === 'src/main.ts' && e.deleted));
        });

        it('restores an empty workspace with progress, keeping modes and inner symlinks, not links out of it', async () => {
            a.write('bin/run.sh', '#!/bin/sh\necho hi\n', 0o755);
            a.write('README.md', 'read me', 0o600);
            a.write('docs/guide.md', 'guide');
            fs.symlinkSync('../README.md', path.join(a.workspace, 'docs/readme-link'));
            fs.symlinkSync('docs', path.join(a.workspace, 'docs-link'));
            fs.symlinkSync('/etc/passwd', path.join(a.workspace, 'passwd-link'));
            fs.symlinkSync('../../outside', path.join(a.workspace, 'docs/up-link'));
            await a.start(store, { watch: false });
            assert.equal(a.sync!.status().outsideLinks, 2);
            await a.stop();

            await b.start(store, { watch: false });
            assert.deepEqual(b.files(), ['README.md', 'bin/run.sh', 'docs-link', 'docs/guide.md', 'docs/readme-link']);
            assert.equal(fs.statSync(path.join(b.workspace, 'bin/run.sh')).mode & 0o777, 0o755);
            assert.equal(fs.statSync(path.join(b.workspace, 'README.md')).mode & 0o777, 0o600);
            assert.equal(fs.readlinkSync(path.join(b.workspace, 'docs/readme-link')), '../README.md');
            assert.equal(fs.readlinkSync(path.join(b.workspace, 'docs-link')), 'docs');
            assert.equal(b.read('docs/readme-link'), 'read me');
            const progress = b.events.filter(e => e.type === 'progress');
            assert.ok(progress.length >= 2);
            assert.ok(progress.every(e => e.type === 'progress' && e.phase === 'restore'));
            const last = progress[progress.length - 1];
            assert.ok(last.type === 'progress' && last.done === last.total && last.total === 5);
        });

        it('reconciles after downtime: local edits uploaded, remote-only fetched, both-sides edits kept both ways', async () => {
            a.write('shared.txt', 'v1');
            a.write('local-edit.txt', 'v1');
            a.write('remote-edit.txt', 'v1');
            await a.start(store, { watch: false });
            await a.stop();
            await b.start(store, { watch: false });
            await b.stop();
            // Both down; each side edits.
            a.write('local-edit.txt', 'v2 from a');
            a.write('shared.txt', 'a says');
            b.write('shared.txt', 'b says');
            b.write('remote-edit.txt', 'v2 from b');
            b.write('new-on-b.txt', 'new');
            await b.start(store, { watch: false });
            await b.stop();
            await a.start(store, { watch: false });
            assert.equal(a.read('local-edit.txt'), 'v2 from a');
            assert.equal(a.read('remote-edit.txt'), 'v2 from b');
            assert.equal(a.read('new-on-b.txt'), 'new');
            assert.equal(a.read('shared.txt'), 'a says');
            const copy = a.files().find(f => f.startsWith('shared.remote-'));
            assert.ok(copy && /^shared\.remote-\d{8}T\d{6}Z\.txt$/.test(copy), `conflict copy in ${a.files().join(', ')}`);
            assert.equal(a.read(copy), 'b says');
            const conflict = a.events.find(e => e.type === 'conflict');
            assert.ok(conflict && conflict.type === 'conflict' && conflict.path === 'shared.txt' && conflict.remoteCopy === copy);
            await a.stop();
            // B now receives A's side, and the copy, with nothing lost.
            await b.start(store, { watch: false });
            assert.equal(b.read('shared.txt'), 'a says');
            assert.equal(b.read(copy), 'b says');
            assert.equal(b.read('local-edit.txt'), 'v2 from a');
        });

        it('keeps every conflict copy when one path conflicts twice in the same second, and never replaces a file in the way', async () => {
            const sameSecond = () => new Date('2025-01-02T03:04:05.678Z');
            const stamp = '20250102T030405Z';
            const conflictRound = async (mine: string, theirs: string) => {
                await b.start(store, { watch: false });
                await b.stop();
                a.write('shared.txt', mine);
                b.write('shared.txt', theirs);
                await b.start(store, { watch: false });
                await b.stop();
                await a.start(store, { watch: false, now: sameSecond });
                await a.stop();
            };
            a.write('shared.txt', 'v1');
            await a.start(store, { watch: false });
            await a.stop();

            await conflictRound('a1', 'b1');
            assert.equal(a.read(`shared.remote-${stamp}.txt`), 'b1');
            // Someone's own file under the next name: the second copy must go around it, not over it.
            a.write(`shared.remote-${stamp}-2.txt`, 'not a conflict copy');
            await conflictRound('a2', 'b2');

            assert.equal(a.read('shared.txt'), 'a2');
            assert.equal(a.read(`shared.remote-${stamp}.txt`), 'b1', 'the first copy is kept');
            assert.equal(a.read(`shared.remote-${stamp}-2.txt`), 'not a conflict copy', 'the file in the way is kept');
            assert.equal(a.read(`shared.remote-${stamp}-3.txt`), 'b2', 'the second copy takes the next free name');
            const copies = a.events.flatMap(e => e.type === 'conflict' ? [e.remoteCopy] : []);
            assert.deepEqual(copies, [`shared.remote-${stamp}.txt`, `shared.remote-${stamp}-3.txt`]);
            // And the store has all of them, for the other machine.
            await b.start(store, { watch: false });
            assert.equal(b.read(`shared.remote-${stamp}.txt`), 'b1');
            assert.equal(b.read(`shared.remote-${stamp}-2.txt`), 'not a conflict copy');
            assert.equal(b.read(`shared.remote-${stamp}-3.txt`), 'b2');
        });

        it('a watched edit racing a remote one is caught by compare-and-swap and kept both ways', async () => {
            a.write('f.txt', 'base');
            await a.start(store);
            // While A runs, B (another machine) changes the same file in the store.
            await b.start(store, { watch: false });
            b.write('f.txt', 'from b');
            await b.sync!.syncNow();
            await b.stop();
            // A's state still says "base": its optimistic upload must fail the swap, not overwrite B.
            a.write('f.txt', 'from a!');
            await waitForValue('the conflict', () => a.events.some(e => e.type === 'conflict'), 10_000);
            assert.equal(a.read('f.txt'), 'from a!');
            const copy = a.files().find(f => f.startsWith('f.remote-'));
            assert.equal(copy && a.read(copy), 'from b');
            await waitForValue('the copy is uploaded too', async () => (await remoteEntry(copy!)) !== undefined, 10_000);
            assert.equal((await remoteEntry('f.txt'))?.size, 7);
        });
    });
}
