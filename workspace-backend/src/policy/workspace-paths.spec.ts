import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathsOverlap, WorkspacePathError, WorkspacePaths } from './workspace-paths';

describe('WorkspacePaths', () => {
    let root: string;
    let outside: string;
    let paths: WorkspacePaths;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-'));
        outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
        fs.mkdirSync(path.join(root, 'src'));
        fs.writeFileSync(path.join(root, 'src', 'a.ts'), '');
        paths = new WorkspacePaths(root);
    });
    afterEach(() => {
        fs.rmSync(root, { recursive: true, force: true });
        fs.rmSync(outside, { recursive: true, force: true });
    });

    it('normalises relative, absolute and dotted forms to one workspace-relative path', () => {
        assert.equal(paths.relative('src/a.ts'), 'src/a.ts');
        assert.equal(paths.relative('./src/../src//a.ts'), 'src/a.ts');
        assert.equal(paths.relative(path.join(root, 'src', 'a.ts')), 'src/a.ts');
        assert.equal(paths.relative('.'), '');
        assert.equal(paths.relative('src/new-file.ts'), 'src/new-file.ts', 'a file about to be created is allowed');
    });

    it('rejects .. escapes, absolute paths outside, and NUL bytes, naming the input', () => {
        for (const bad of ['../etc/passwd', 'src/../../x', '/etc/passwd', path.join(outside, 'x'), 'a\0b']) {
            assert.throws(() => paths.relative(bad), (e: Error) => e instanceof WorkspacePathError && e.message.includes('is not a path inside the workspace'), bad);
        }
    });

    it('rejects symlinks that leave the workspace, also for files below them that do not exist yet', () => {
        fs.symlinkSync(outside, path.join(root, 'escape'));
        assert.throws(() => paths.relative('escape'), /symbolic link that leads to/);
        assert.throws(() => paths.relative('escape/new.txt'), /symbolic link/);
    });

    it('allows symlinks that stay inside', () => {
        fs.symlinkSync(path.join(root, 'src'), path.join(root, 'alias'));
        assert.equal(paths.relative('alias/a.ts'), 'alias/a.ts');
    });
});

describe('pathsOverlap', () => {
    it('treats a folder as covering its subtree, and the root as covering everything', () => {
        assert.equal(pathsOverlap('src', 'src/a.ts'), true);
        assert.equal(pathsOverlap('src/a.ts', 'src'), true);
        assert.equal(pathsOverlap('', 'src/a.ts'), true);
        assert.equal(pathsOverlap('src', 'src2/a.ts'), false);
        assert.equal(pathsOverlap('src/a.ts', 'src/b.ts'), false);
    });
});
