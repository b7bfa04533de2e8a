import assert from 'node:assert/strict';
import { conflictCopyPath } from './conflict-name';
import { FileVersion } from './file-version';
import { planPath } from './reconcile-plan';
import { indexKey, pathOfIndexKey } from './remote-index';

const v = (sha: string): FileVersion => ({ kind: 'file', sha256: sha.repeat(64).slice(0, 64), size: 1, mode: 0o644 });

describe('file sync: reconcile plan', () => {
    const synced = { version: v('a'), remoteGeneration: '1' };
    it('one side changed: that side wins', () => {
        assert.equal(planPath({ local: v('a'), synced, remote: { generation: '1', version: v('a') } }), 'none');
        assert.equal(planPath({ local: v('b'), synced, remote: { generation: '1', version: v('a') } }), 'upload');
        assert.equal(planPath({ local: undefined, synced, remote: { generation: '1', version: v('a') } }), 'upload-delete');
        assert.equal(planPath({ local: v('a'), synced, remote: { generation: '2', version: v('c') } }), 'download');
        assert.equal(planPath({ local: v('a'), synced, remote: { generation: '2', version: undefined } }), 'delete-local');
    });
    it('both changed: equal is recorded, different is a conflict, an edit beats a delete', () => {
        assert.equal(planPath({ local: v('c'), synced, remote: { generation: '2', version: v('c') } }), 'record');
        assert.equal(planPath({ local: v('b'), synced, remote: { generation: '2', version: v('c') } }), 'conflict');
        assert.equal(planPath({ local: v('b'), synced, remote: { generation: '2', version: undefined } }), 'upload');
        assert.equal(planPath({ local: undefined, synced, remote: { generation: '2', version: v('c') } }), 'download');
        assert.equal(planPath({ local: v('b'), synced: undefined, remote: { generation: '2', version: v('c') } }), 'conflict');
    });
    it('a store that lost its entry never deletes local files', () => {
        assert.equal(planPath({ local: v('a'), synced, remote: undefined }), 'upload');
        assert.equal(planPath({ local: undefined, synced, remote: undefined }), 'record');
        assert.equal(planPath({ local: undefined, synced: undefined, remote: { generation: '2', version: v('c') } }), 'download');
    });
    it('names conflict copies beside the file, keeping the extension', () => {
        const when = new Date('2025-01-02T03:04:05.678Z');
        assert.equal(conflictCopyPath('src/a.ts', when), 'src/a.remote-20250102T030405Z.ts');
        assert.equal(conflictCopyPath('Makefile', when), 'Makefile.remote-20250102T030405Z');
        assert.equal(conflictCopyPath('.env', when), '.env.remote-20250102T030405Z');
    });
    it('names a later attempt of the same conflict copy with a disambiguator after the stamp', () => {
        const when = new Date('2025-01-02T03:04:05.678Z');
        assert.equal(conflictCopyPath('src/a.ts', when, 2), 'src/a.remote-20250102T030405Z-2.ts');
        assert.equal(conflictCopyPath('.env', when, 3), '.env.remote-20250102T030405Z-3');
        assert.throws(() => conflictCopyPath('a', when, 0), /whole number from 1/);
    });
    it('index keys round-trip and a file never collides with a folder of the same name', () => {
        for (const p of ['a', 'a/b', 'dir with space/ü@%.txt', '...']) {
            assert.equal(pathOfIndexKey(indexKey(p)), p);
        }
        assert.ok(!indexKey('a/b').startsWith(`${indexKey('a')}/`));
    });
});
