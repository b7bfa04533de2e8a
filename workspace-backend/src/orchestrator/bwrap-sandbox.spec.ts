import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bwrapArguments, SandboxView } from './bwrap-sandbox';

/** The order of bwrap's mounts is what makes the view safe: later mounts cover earlier ones. */
describe('bwrapArguments', () => {
    let root: string;
    let ws: string;
    const view = (patch: Partial<SandboxView> = {}): SandboxView => ({
        workspace: { real: ws, at: [ws] }, readOnly: [], hidden: [], tools: [], network: true, cwd: ws, ...patch,
    });
    /** Index of the first `option a b` triple (or `option a` pair) in args. */
    const at = (args: string[], ...triple: string[]) => args.findIndex((_, i) => triple.every((t, j) => args[i + j] === t));

    beforeEach(() => {
        root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bwrap-args-')));
        ws = path.join(root, 'ws');
        fs.mkdirSync(path.join(ws, 'src/deep'), { recursive: true });
        fs.writeFileSync(path.join(ws, 'src/deep/a.ts'), '');
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('shares the network only when asked, and always unshares the rest and dies with its parent', () => {
        assert.ok(bwrapArguments(view({ network: true })).includes('--share-net'));
        const offline = bwrapArguments(view({ network: false }));
        assert.ok(!offline.includes('--share-net'));
        for (const option of ['--unshare-all', '--die-with-parent', '--new-session', '--disable-userns']) {
            assert.ok(offline.includes(option), option);
        }
        assert.ok(at(offline, '--proc', '/proc') >= 0 && at(offline, '--tmpfs', '/tmp') >= 0);
    });

    it('binds the folders above a read-only file onto themselves before the file, after the workspace', () => {
        const file = path.join(ws, 'src/deep/a.ts');
        const args = bwrapArguments(view({ readOnly: [file] }));
        const workspace = at(args, '--bind', ws, ws);
        const src = at(args, '--bind', path.join(ws, 'src'), path.join(ws, 'src'));
        const deep = at(args, '--bind', path.join(ws, 'src/deep'), path.join(ws, 'src/deep'));
        const readOnly = at(args, '--ro-bind', file, file);
        assert.ok(workspace >= 0 && workspace < src && src < deep && deep < readOnly, args.join(' '));
    });

    it('covers hidden paths inside mounted places last, and never mounts a tool inside a hidden one', () => {
        const data = path.join(ws, 'data');
        fs.mkdirSync(data);
        const secret = path.join(ws, 'keys.env');
        fs.writeFileSync(secret, '');
        const home = path.join(root, 'home');
        fs.mkdirSync(path.join(home, 'node'), { recursive: true });
        fs.mkdirSync(path.join(data, 'tool'));
        const args = bwrapArguments(view({ hidden: [data, secret, home], readOnly: [data], tools: [path.join(home, 'node'), path.join(data, 'tool')], home }));
        assert.ok(at(args, '--tmpfs', data, '--remount-ro', data) > at(args, '--ro-bind', data, data), 'a lock does not reveal a hidden folder');
        assert.ok(at(args, '--ro-bind', '/dev/null', secret) > at(args, '--bind', ws, ws));
        assert.equal(at(args, '--ro-bind', path.join(data, 'tool'), path.join(data, 'tool')), -1, 'no tool from a hidden folder');
        assert.ok(at(args, '--tmpfs', home) >= 0, 'the home folder is an empty one');
        assert.ok(at(args, '--ro-bind', path.join(home, 'node'), path.join(home, 'node')) > at(args, '--tmpfs', home), 'a tool in the home folder, over the empty home');
    });

    it('mounts the workspace at every path the studio knows it by, and covers at each', () => {
        const link = path.join(root, 'link');
        fs.symlinkSync(ws, link);
        const file = path.join(ws, 'src/deep/a.ts');
        const args = bwrapArguments(view({ workspace: { real: ws, at: [ws, link] }, readOnly: [file] }));
        assert.ok(at(args, '--bind', ws, link) >= 0);
        assert.ok(at(args, '--ro-bind', file, path.join(link, 'src/deep/a.ts')) >= 0);
    });
});
