import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeFsError, probeDirectory } from './directory-probe';

describe('probeDirectory', () => {
    let dir: string;
    beforeEach(() => dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-')));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reports a writable folder as ok and leaves no probe file behind', async () => {
        const health = await probeDirectory('x', 'X', dir);
        assert.equal(health.status, 'ok');
        assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('reports a missing folder as down with what to do', async () => {
        const health = await probeDirectory('x', 'X', path.join(dir, 'missing'));
        assert.equal(health.status, 'down');
        assert.match(health.detail, /does not exist; create it/);
    });

    it('reports a file in place of a folder', async () => {
        const file = path.join(dir, 'file');
        fs.writeFileSync(file, '');
        const health = await probeDirectory('x', 'X', file);
        assert.equal(health.status, 'down');
        assert.match(health.detail, /is not a directory/);
    });
});

describe('describeFsError', () => {
    it('turns errno codes into advice', () => {
        const error = (code: string) => Object.assign(new Error(code), { code });
        assert.match(describeFsError(error('ENOSPC')), /disk is full/);
        assert.match(describeFsError(error('EROFS')), /read-only/);
        assert.match(describeFsError(error('EACCES')), /permission denied/);
        assert.equal(describeFsError(new Error('odd')), 'odd');
    });
});
