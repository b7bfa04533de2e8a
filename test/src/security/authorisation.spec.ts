import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AgentOverridesPreference } from '@coditect/workspace-backend';
import { LOCKS_PATH } from '@coditect/file-locks/common';
import { remoteFileSystemPath } from '@theia/filesystem/lib/common/remote-file-system-provider';
import { SQL_CONSOLE_PATH } from '@coditect/sql-console/common';
import { COST_DASHBOARD_PATH } from '@coditect/cost-dashboard/common';
import { SESSION_TIMELINE_PATH } from '@coditect/session-timeline/common';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { bearer, startSecuredStudio, token, waitForCore } from './security-fixture';

interface LockRpc {
    acquire(path: string, mode: 'shared' | 'exclusive', waitMs?: number): Promise<{ id: string; path: string }>;
    forceRelease(lockId: string, reason: string): Promise<unknown>;
    whoAmI(): Promise<{ owner: { id: string }; isAdmin: boolean }>;
}
interface SqlRpc {
    run(request: { database: string; sql: string; allowWrites?: boolean }): Promise<{ error?: { kind: string; message: string }; committed?: boolean }>;
}

describe('roles and confinement against the running backend', function () {
    this.timeout(120_000);
    let secured: Awaited<ReturnType<typeof startSecuredStudio>>;
    let admin: StudioRpcClient;
    let developer: StudioRpcClient;
    let adminToken: string;

    before(async () => {
        secured = await startSecuredStudio();
        adminToken = await token({ role: 'admin', sub: 'ada' });
        await waitForCore(secured.studio, bearer(adminToken));
        admin = await StudioRpcClient.connect(secured.studio.url, { headers: bearer(adminToken) });
        developer = await StudioRpcClient.connect(secured.studio.url, { headers: bearer(await token({ role: 'developer', sub: 'dev' })) });
    });
    after(async () => {
        admin?.close();
        developer?.close();
        await secured?.stop();
    });

    it('knows each connection\'s person from its token, not from anything the client says', async () => {
        const asDeveloper = await (await developer.service<LockRpc>(LOCKS_PATH)).whoAmI();
        const asAdmin = await (await admin.service<LockRpc>(LOCKS_PATH)).whoAmI();
        assert.deepEqual([asDeveloper.owner.id, asDeveloper.isAdmin], ['user:dev', false]);
        assert.deepEqual([asAdmin.owner.id, asAdmin.isAdmin], ['user:ada', true]);
    });

    it('refuses a developer every admin action, and audits each refusal', async () => {
        // A SQL write.
        const sql = await developer.service<SqlRpc>(SQL_CONSOLE_PATH);
        const write = await sql.run({ database: 'workspace', sql: "INSERT INTO settings VALUES ('x', '1', 0)", allowWrites: true });
        assert.equal(write.error?.kind, 'forbidden');
        // Force-releasing someone else's lock.
        const adminLock = await (await admin.service<LockRpc>(LOCKS_PATH)).acquire('src/a.ts', 'exclusive');
        await assert.rejects((await developer.service<LockRpc>(LOCKS_PATH)).forceRelease(adminLock.id, 'mine now'), /admin/i);
        // Changing an agent's configuration (the .coditect/ folder) through the IDE's file system.
        const files = await developer.service<{ writeFile(uri: string, content: Uint8Array, opts: object): Promise<void> }>(remoteFileSystemPath);
        const definition = path.join(secured.workspaceDir, '.coditect', 'agents', 'claude.json');
        const before = fs.existsSync(definition) ? fs.readFileSync(definition, 'utf8') : undefined;
        await assert.rejects(files.writeFile(`file://${definition}`, new TextEncoder().encode('{"model":"expensive"}'), { create: true, overwrite: true, unlock: false, atomic: false }), /only an admin/);
        assert.equal(fs.existsSync(definition) ? fs.readFileSync(definition, 'utf8') : undefined, before);
        // ... or through the coditect.agents workspace preference, while other preferences stay everyone's.
        const settingsUri = `file://${path.join(secured.workspaceDir, '.theia', 'settings.json')}`;
        const writeSettings = (value: object) => files.writeFile(settingsUri, new TextEncoder().encode(JSON.stringify(value)), { create: true, overwrite: true, unlock: false, atomic: false });
        fs.mkdirSync(path.join(secured.workspaceDir, '.theia'), { recursive: true });
        await writeSettings({ 'editor.fontSize': 15 });
        await assert.rejects(writeSettings({ 'editor.fontSize': 15, [AgentOverridesPreference]: { claude: { model: 'expensive' } } }), /only an admin/);
        assert.deepEqual(JSON.parse(fs.readFileSync(path.join(secured.workspaceDir, '.theia', 'settings.json'), 'utf8')), { 'editor.fontSize': 15 });
        // ... also when the settings arrive in pieces (open, write, write, close): judged whole at close, never on disk before.
        const buffered = await developer.service<{
            open(uri: string, opts: object): Promise<number>;
            write(fd: number, pos: number, data: Uint8Array, offset: number, length: number): Promise<number>;
            close(fd: number): Promise<void>;
        }>(remoteFileSystemPath);
        const writeSettingsInPieces = async (value: object) => {
            const data = new TextEncoder().encode(JSON.stringify(value));
            const fd = await buffered.open(settingsUri, { create: true, unlock: false });
            const half = Math.floor(data.length / 2);
            await buffered.write(fd, 0, data.subarray(0, half), 0, half);
            assert.deepEqual(JSON.parse(fs.readFileSync(path.join(secured.workspaceDir, '.theia', 'settings.json'), 'utf8')), { 'editor.fontSize': 15 }, 'untouched until close');
            await buffered.write(fd, half, data.subarray(half), 0, data.length - half);
            await buffered.close(fd);
        };
        await assert.rejects(writeSettingsInPieces({ 'editor.fontSize': 15, [AgentOverridesPreference]: { claude: { model: 'expensive' } } }), /only an admin/);
        assert.deepEqual(JSON.parse(fs.readFileSync(path.join(secured.workspaceDir, '.theia', 'settings.json'), 'utf8')), { 'editor.fontSize': 15 });
        await writeSettingsInPieces({ 'editor.fontSize': 16 });
        assert.deepEqual(JSON.parse(fs.readFileSync(path.join(secured.workspaceDir, '.theia', 'settings.json'), 'utf8')), { 'editor.fontSize': 16 });

        // Setting budgets and prices.
        const costs = await developer.service<{ setBudget(b: object, usd: string): Promise<unknown>; setPriceOverrides(o: unknown): Promise<unknown> }>(COST_DASHBOARD_PATH);
        await assert.rejects(costs.setBudget({ scope: 'workspace', period: 'month' }, '1000'), /admin/i);
        await assert.rejects(costs.setPriceOverrides({}), /admin/i);

        // The admin may do each of them.
        const adminWrite = await (await admin.service<SqlRpc>(SQL_CONSOLE_PATH)).run({ database: 'workspace', sql: "INSERT INTO settings VALUES ('x', '1', 0)", allowWrites: true });
        assert.equal(adminWrite.error, undefined);
        await (await admin.service<LockRpc>(LOCKS_PATH)).forceRelease(adminLock.id, 'cleanup');

        await (await admin.service<{ setBudget(b: object, usd: string): Promise<unknown> }>(COST_DASHBOARD_PATH)).setBudget({ scope: 'workspace', period: 'month' }, '25');
        const audit = await (await admin.service<SqlRpc & { run(r: object): Promise<{ page?: { rows: unknown[][] } }> }>(SQL_CONSOLE_PATH))
            .run({ database: 'workspace', sql: 'SELECT user_id, action, outcome FROM audit_log ORDER BY id' });
        const rows = (audit as { page?: { rows: unknown[][] } }).page?.rows.map(r => r.join(' ')) ?? [];
        for (const expected of ['user:dev sql.write refused', 'user:dev lock.force-release refused', 'user:dev agent.configure refused', 'user:ada sql.write allowed', 'user:ada lock.force-release allowed', 'user:dev budget.set refused', 'user:dev prices.set refused', 'user:ada budget.set allowed']) {
            assert.ok(rows.includes(expected), `audit_log lacks "${expected}"; it has ${JSON.stringify(rows)}`);
        }
    });

    it('holds a person\'s copy, new folder and rename to the locks others hold, and a folder copy to the configuration rule, changing nothing', async () => {
        const ws = secured.workspaceDir;
        const uri = (relative: string) => `file://${path.join(ws, relative)}`;
        fs.mkdirSync(path.join(ws, 'held'), { recursive: true });
        fs.writeFileSync(path.join(ws, 'src', 'copy-source.ts'), 'export const copied = true;\n');
        const locks = await admin.service<LockRpc & { release(lockId: string): Promise<void> }>(LOCKS_PATH);
        const fileLock = await locks.acquire('src/a.ts', 'exclusive');
        const folderLock = await locks.acquire('held', 'exclusive');
        const files = await developer.service<{
            copy(from: string, to: string, opts: object): Promise<void>;
            mkdir(uri: string): Promise<void>;
            rename(from: string, to: string, opts: object): Promise<void>;
        }>(remoteFileSystemPath);
        const original = fs.readFileSync(path.join(ws, 'src', 'a.ts'), 'utf8');

        await assert.rejects(files.copy(uri('src/copy-source.ts'), uri('src/a.ts'), { overwrite: true }), /src\/a\.ts is locked by ada/);
        assert.equal(fs.readFileSync(path.join(ws, 'src', 'a.ts'), 'utf8'), original);
        await assert.rejects(files.copy(uri('src/copy-source.ts'), uri('held/new.ts'), { overwrite: false }), /locked by ada/);
        await assert.rejects(files.mkdir(uri('held/sub')), /locked by ada/);
        await assert.rejects(files.rename(uri('src/copy-source.ts'), uri('held/moved.ts'), { overwrite: false }), /locked by ada/);
        assert.deepEqual(fs.readdirSync(path.join(ws, 'held')), []);
        assert.ok(fs.existsSync(path.join(ws, 'src', 'copy-source.ts')));

        // A folder copied over the workspace settings would carry coditect.agents in: judged file by file.
        fs.mkdirSync(path.join(ws, 'smuggle'), { recursive: true });
        fs.writeFileSync(path.join(ws, 'smuggle', 'settings.json'), JSON.stringify({ [AgentOverridesPreference]: { claude: { baseUrl: 'https://elsewhere.example' } } }));
        const settingsFile = path.join(ws, '.theia', 'settings.json');
        const settingsBefore = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
        await assert.rejects(files.copy(uri('smuggle'), uri('.theia'), { overwrite: true }), /only an admin/);
        assert.equal(fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined, settingsBefore);

        // Once the locks are gone, the same copy goes through.
        await locks.release(fileLock.id);
        await locks.release(folderLock.id);
        await files.copy(uri('src/copy-source.ts'), uri('held/new.ts'), { overwrite: false });
        assert.equal(fs.readFileSync(path.join(ws, 'held', 'new.ts'), 'utf8'), 'export const copied = true;\n');
    });

    it('refuses paths outside the workspace in every path-taking API (.., absolute, encoded, symlinks), touching no file', async () => {
        const outsideFile = path.join(secured.outsideDir, 'secret.txt');
        const attempts = ['../outside/secret.txt', outsideFile, '%2e%2e/outside/secret.txt', 'src/../../outside/secret.txt', 'link-out/secret.txt', 'link-out/new-file.txt'];
        const locks = await developer.service<LockRpc>(LOCKS_PATH);
        for (const attempt of attempts) {
            const http = await fetch(`${secured.studio.url}/coditect/api/locks`, {
                method: 'POST', headers: { 'content-type': 'application/json', ...bearer(adminToken) },
                body: JSON.stringify({ path: decodeURIComponent(attempt) === attempt ? attempt : attempt, mode: 'exclusive' }),
            });
            const body = await http.json() as { error?: string };
            if (attempt.startsWith('%2e')) {
                // Not decoded: a literal folder named "%2e%2e" inside the workspace is a legal (if odd) path, but it must stay inside.
                assert.ok(http.status === 201 || http.status === 400, `${attempt}: ${http.status}`);
            } else {
                assert.equal(http.status, 400, `${attempt}: ${JSON.stringify(body)}`);
                assert.match(body.error ?? '', /not a path inside the workspace|outside/);
                await assert.rejects(locks.acquire(attempt, 'exclusive'), /not a path inside the workspace|outside/, attempt);
            }
        }
        // The timeline's "file as it was" falls back to the workspace for files it has no edits of: confined too.
        const timeline = await developer.service<{ currentSessionId(): Promise<string>; fileAt(s: string, p: string, seq: number): Promise<{ status: string; content?: string }> }>(SESSION_TIMELINE_PATH);
        const session = await timeline.currentSessionId();
        for (const attempt of ['../outside/secret.txt', outsideFile, 'link-out/secret.txt', 'src/../../outside/secret.txt']) {
            const state = await timeline.fileAt(session, attempt, Number.MAX_SAFE_INTEGER).catch((error: Error) => ({ status: 'refused', content: undefined, error }));
            assert.notEqual(state.status, 'exists', attempt);
            assert.equal(state.content, undefined, attempt);
        }
        assert.equal(fs.readFileSync(outsideFile, 'utf8'), 'outside the workspace\n');
        assert.deepEqual(fs.readdirSync(secured.outsideDir), ['secret.txt']);
    });
});
