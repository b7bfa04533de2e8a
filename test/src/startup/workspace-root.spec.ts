import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { workspacePath } from '@theia/workspace/lib/common/workspace-protocol';
import { DirectoryObjectStore } from '@coditect/workspace-backend';
import { indexKey } from '@coditect/workspace-backend';
import { studioAppDir } from '../lib/repo-paths';
import { launchStudio, StudioProcess } from '../lib/studio-process';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { waitForCore } from '../security/security-fixture';

/** Theia's workspace service (`@theia/workspace`'s `workspacePath`): what the editor opens. */
const WORKSPACE_SERVER_PATH = workspacePath;
type WorkspaceServer = { getMostRecentlyUsedWorkspace(): Promise<string | undefined> };

/**
 * The editor and the workspace core work on one folder, whichever way it is given, and a start
 * from some other current folder never makes that folder the workspace (nor copies it to the replica).
 */
describe('the workspace folder at start-up', function () {
    this.timeout(120_000);
    let root: string;
    let workspaceDir: string;
    /** The backend's current folder in every test: it must never become the workspace. */
    let elsewhere: string;
    let studio: StudioProcess | undefined;

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'workspace-root-'));
        workspaceDir = path.join(root, 'ws');
        elsewhere = path.join(root, 'elsewhere');
        fs.mkdirSync(workspaceDir);
        fs.mkdirSync(elsewhere);
        fs.writeFileSync(path.join(workspaceDir, 'a.txt'), 'in the workspace\n');
        fs.writeFileSync(path.join(elsewhere, 'stray.txt'), 'not in the workspace\n');
    });
    afterEach(async () => {
        await studio?.stop();
        studio = undefined;
        fs.rmSync(root, { recursive: true, force: true });
    });

    /** The folder Theia's workspace server gives the editor, as a path. */
    async function editorFolder(running: StudioProcess): Promise<string | undefined> {
        const client = await StudioRpcClient.connect(running.url, { headers: running.authHeaders });
        try {
            const uri = await (await client.service<WorkspaceServer>(WORKSPACE_SERVER_PATH)).getMostRecentlyUsedWorkspace();
            return uri === undefined ? undefined : FileUri.fsPath(uri);
        } finally {
            client.close();
        }
    }

    /** Asks the core for a lock on an absolute path: the core takes it only inside its own workspace. */
    async function lock(running: StudioProcess, file: string): Promise<{ status: number; body: { path?: string; error?: string } }> {
        const response = await fetch(`${running.url}/coditect/api/locks`, {
            method: 'POST', headers: { ...running.authHeaders, 'Content-Type': 'application/json' },
            body: JSON.stringify({ path: file, mode: 'exclusive' }),
        });
        return { status: response.status, body: await response.json() as { path?: string; error?: string } };
    }

    /** Starts the backend and expects it to refuse: its exit code and everything it printed. */
    function refusedStart(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
        const { STUDIO_WORKSPACE: _inherited, ...inheritedEnv } = process.env;
        const child = spawn(process.execPath, [path.join(studioAppDir, 'lib', 'backend', 'main.js'), ...args, '--hostname=127.0.0.1', '--port=0'], {
            cwd: elsewhere,
            env: { ...inheritedEnv, STUDIO_DATA_DIR: path.join(root, 'data'), THEIA_CONFIG_DIR: path.join(root, 'cfg'), STUDIO_AUTH: 'local', ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', chunk => {
            output += chunk;
            if (/listening on/.test(output)) {
                child.kill('SIGKILL'); // it started after all: end it, so the assertions fail now rather than at the timeout
            }
        });
        child.stderr.on('data', chunk => output += chunk);
        return new Promise(resolve => child.once('close', code => resolve({ code, output })));
    }

    it('works on the folder given as the argument, started from another folder: editor, locks and file sync alike', async () => {
        const replica = path.join(root, 'replica');
        studio = await launchStudio({
            appDir: studioAppDir, workspaceDir, cwd: elsewhere, logName: 'workspace-root',
            env: { STUDIO_REPLICA_URL: `file://${replica}` },
        });
        await waitForCore(studio, studio.authHeaders);

        assert.equal(await editorFolder(studio), workspaceDir);
        const inside = await lock(studio, path.join(workspaceDir, 'a.txt'));
        assert.equal(inside.status, 201, JSON.stringify(inside.body));
        assert.equal(inside.body.path, 'a.txt');
        const outside = await lock(studio, path.join(elsewhere, 'stray.txt'));
        assert.equal(outside.status, 400, JSON.stringify(outside.body));
        assert.ok(outside.body.error?.includes(`outside ${workspaceDir}`), outside.body.error);

        // The core is ready only after file sync's first reconcile: the store holds the workspace's files, and none of the current folder's.
        const store = new DirectoryObjectStore(replica);
        assert.ok(await store.head(indexKey('a.txt')), 'a.txt of the workspace is in the replica');
        assert.equal(await store.head(indexKey('stray.txt')), undefined, 'stray.txt of the current folder is not in the replica');
    });

    it('opens STUDIO_WORKSPACE in the editor too when it is given alone, not the most recent workspace Theia remembers', async () => {
        const configDir = path.join(root, 'cfg');
        fs.mkdirSync(configDir);
        fs.writeFileSync(path.join(configDir, 'recentworkspace.json'), JSON.stringify({ recentRoots: [FileUri.create(elsewhere).toString()] }));
        studio = await launchStudio({
            appDir: studioAppDir, workspaceDir, cwd: elsewhere, workspaceVia: 'environment', logName: 'workspace-root',
            env: { THEIA_CONFIG_DIR: configDir },
        });
        await waitForCore(studio, studio.authHeaders);

        assert.equal(await editorFolder(studio), workspaceDir);
        assert.equal((await lock(studio, path.join(workspaceDir, 'a.txt'))).body.path, 'a.txt');
    });

    it('refuses to start when the argument and STUDIO_WORKSPACE name different folders, saying which to set', async () => {
        const { code, output } = await refusedStart([workspaceDir], { STUDIO_WORKSPACE: elsewhere });
        assert.equal(code, 78, output);
        assert.match(output, /\[studio\] refusing to start: The workspace folder is given twice/);
        assert.ok(output.includes(`the folder argument (main.js <folder>) says ${workspaceDir}, STUDIO_WORKSPACE says ${elsewhere}`), output);
        assert.match(output, /pass the folder as the folder argument \(main\.js <folder>\) and unset STUDIO_WORKSPACE/);
        assert.doesNotMatch(output, /listening on/);
        assert.equal(fs.existsSync(path.join(root, 'data')), false, 'nothing was started: no data directory');
    });

    it('refuses to start with no workspace at all, rather than taking the current folder', async () => {
        const { code, output } = await refusedStart([], {});
        assert.equal(code, 78, output);
        assert.ok(output.includes('No workspace folder is given: pass it as the folder argument (main.js <folder>) or set STUDIO_WORKSPACE'), output);
        assert.ok(output.includes(`does not fall back to the current folder (${elsewhere})`), output);
        assert.equal(fs.existsSync(path.join(root, 'data')), false, 'nothing was started: no data directory');
    });
});
