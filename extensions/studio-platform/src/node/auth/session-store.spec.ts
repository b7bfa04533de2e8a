import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Container } from '@theia/core/shared/inversify';
import { WebSessionRepository, WorkspaceCore } from '@coditect/workspace-backend';
import { StudioUser } from '../../common/studio-user';
import { WorkspaceCoreHost } from '../workspace-core-host';
import { resolveAuthConfig } from './auth-config';
import { credentialFingerprint } from './credential-fingerprint';
import { AuthConfigValue } from './credential-verifier';
import { SessionEnd, sessionIdHash, SessionStore, SessionStoreImpl } from './session-store';
import { MemoryWebSessions } from './session-test-support';

const HOUR = 3_600_000;
const ADA: StudioUser = { id: 'user:ada', displayName: 'Ada', role: 'admin' };
const TOKEN = 'first-local-token-0123456789';

interface TestHost { ready: Promise<WorkspaceCore>; startFailure?: string; resolve(core: unknown): void }

function host(): TestHost {
    let resolve!: (core: WorkspaceCore) => void;
    const ready = new Promise<WorkspaceCore>(r => resolve = r);
    return { ready, resolve: core => resolve(core as WorkspaceCore) };
}

let clock = 1_000_000;
class TestSessionStore extends SessionStoreImpl {
    protected override startupWaitMs = 300;
    protected override now(): number { return clock; }
}

function storeWith(coreHost: TestHost, env: Record<string, string> = {}): TestSessionStore {
    const container = new Container();
    container.bind(AuthConfigValue).toConstantValue(resolveAuthConfig({ STUDIO_AUTH_TOKEN: TOKEN, STUDIO_SESSION_MAX_HOURS: '12', STUDIO_SESSION_IDLE_HOURS: '2', ...env }));
    container.bind(WorkspaceCoreHost).toConstantValue(coreHost);
    container.bind(SessionStore).to(TestSessionStore).inSingletonScope();
    return container.get<TestSessionStore>(SessionStore);
}

/** A store whose core is ready, over `repository`. */
async function readyStore(repository = new MemoryWebSessions(), env: Record<string, string> = {}): Promise<{ store: TestSessionStore; repository: MemoryWebSessions; ended: SessionEnd[] }> {
    const coreHost = host();
    const store = storeWith(coreHost, env);
    coreHost.resolve({ webSessions: repository });
    await new Promise(r => setTimeout(r, 10));
    const ended: SessionEnd[] = [];
    store.onDidEnd(e => ended.push(e));
    return { store, repository, ended };
}

describe('SessionStore', () => {
    const stores: TestSessionStore[] = [];
    beforeEach(() => clock = 1_000_000);
    afterEach(() => stores.splice(0).forEach(s => s.dispose()));
    const track = <T extends { store: TestSessionStore }>(value: T): T => {
        stores.push(value.store);
        return value;
    };

    it('makes a random 32-byte id for the cookie and stores only its SHA-256, with the person, times and fingerprint', async () => {
        const { store, repository } = track(await readyStore());
        const first = await store.create(ADA, { client: '10.0.0.1' });
        const second = await store.create(ADA, { client: '10.0.0.1' });
        assert.match(first.id, /^[A-Za-z0-9_-]{43}$/);
        assert.notEqual(first.id, second.id);
        assert.equal(first.expiresAt, clock + 12 * HOUR);
        const row = repository.get(sessionIdHash(first.id))!;
        assert.deepEqual(row, {
            idHash: sessionIdHash(first.id), userId: 'user:ada', userName: 'Ada', role: 'admin', client: '10.0.0.1',
            fingerprint: credentialFingerprint(resolveAuthConfig({ STUDIO_AUTH_TOKEN: TOKEN })), createdAt: clock, expiresAt: clock + 12 * HOUR, lastUsedAt: clock,
        });
        assert.ok(!JSON.stringify([...repository.rows.values()]).includes(first.id), 'the id itself is stored');
        assert.ok(!row.fingerprint.includes(TOKEN));
        const found = await store.resolve(first.id);
        assert.deepEqual(found, { ok: true, user: ADA, idHash: sessionIdHash(first.id), expiresAt: first.expiresAt });
    });

    it('never lets a session outlive the token it was made with, and refuses one already expired', async () => {
        const { store } = track(await readyStore());
        const session = await store.create(ADA, { client: 'c', credentialExpiresAt: clock + HOUR });
        assert.equal(session.expiresAt, clock + HOUR);
        clock += HOUR - 1;
        assert.equal((await store.resolve(session.id)).ok, true);
        clock += 1;
        const ended = await store.resolve(session.id);
        assert.equal(ended.ok, false);
        assert.match((ended as { reason: string }).reason, /expired/);
        await assert.rejects(store.create(ADA, { client: 'c', credentialExpiresAt: clock }), /already expired/);
    });

    it('ends a session at its absolute limit however busy, and after the idle limit unused; each ending is announced and deleted', async () => {
        const { store, repository, ended } = track(await readyStore());
        const busy = await store.create(ADA, { client: 'c' });
        const idle = await store.create(ADA, { client: 'c' });
        for (let i = 0; i < 11; i++) {
            clock += HOUR;
            assert.equal((await store.resolve(busy.id)).ok, true, `hour ${i + 1}`);
        }
        // idle was last used 11 h ago (limit 2 h); busy reaches its 12 h limit.
        const idleLookup = await store.resolve(idle.id);
        assert.match((idleLookup as { reason: string }).reason, /unused too long/);
        clock += HOUR;
        assert.match((await store.resolve(busy.id) as { reason: string }).reason, /has expired/);
        assert.deepEqual(ended.map(e => e.reason), ['expired', 'expired']);
        assert.equal(repository.rows.size, 0);
        assert.equal(store.isLive(sessionIdHash(busy.id)), false);
    });

    it('writes a session\'s last use now and then, not on every request, and never back in time', async () => {
        const { store, repository } = track(await readyStore());
        const session = await store.create(ADA, { client: 'c' });
        clock += 1000;
        await store.resolve(session.id);
        assert.equal(repository.get(sessionIdHash(session.id))!.lastUsedAt, clock - 1000);
        clock += 60_000;
        await store.resolve(session.id);
        assert.equal(repository.get(sessionIdHash(session.id))!.lastUsedAt, clock);
    });

    it('revokes a session at sign-out (announced, deleted), and ignores ids it never issued', async () => {
        const { store, repository, ended } = track(await readyStore());
        const session = await store.create(ADA, { client: 'c' });
        assert.equal(await store.revoke(session.id), true);
        assert.equal(await store.revoke(session.id), false);
        assert.deepEqual(ended, [{ idHash: sessionIdHash(session.id), reason: 'signed-out' }]);
        assert.equal(repository.rows.size, 0);
        assert.match((await store.resolve(session.id) as { reason: string }).reason, /has ended/);
        for (const bad of ['', 'short', `${session.id}x`, 'a'.repeat(42) + '!']) {
            assert.match((await store.resolve(bad) as { reason: string }).reason, /not one this studio issues/);
            assert.equal(await store.revoke(bad), false);
        }
    });

    it('revokes at start every stored session made under another token, keeping those of the current one', async () => {
        const shared = new MemoryWebSessions();
        const first = track(await readyStore(shared));
        const kept = await first.store.create(ADA, { client: 'c' });
        first.store.dispose();

        const sameToken = track(await readyStore(shared));
        assert.equal((await sameToken.store.resolve(kept.id)).ok, true, 'a restart with the same token keeps the session');
        sameToken.store.dispose();

        const otherToken = track(await readyStore(shared, { STUDIO_AUTH_TOKEN: 'another-local-token-0123456789' }));
        assert.equal(shared.rows.size, 0);
        assert.equal((await otherToken.store.resolve(kept.id)).ok, false);
        // Back to the first token: the session stays revoked.
        const again = track(await readyStore(shared));
        assert.equal((await again.store.resolve(kept.id)).ok, false);
    });

    it('revokes sessions when the local user\'s role changes, and when a JWT key or audience does', () => {
        const local = resolveAuthConfig({ STUDIO_AUTH_TOKEN: TOKEN });
        assert.notEqual(credentialFingerprint(local, 'admin'), credentialFingerprint(local, 'developer'));
        const jwt = (env: Record<string, string>) => credentialFingerprint(resolveAuthConfig({ STUDIO_AUTH_JWT_SECRET: 's'.repeat(40), STUDIO_AUTH_AUDIENCE: 'studio', ...env }));
        assert.equal(jwt({}), jwt({}));
        assert.notEqual(jwt({}), jwt({ STUDIO_AUTH_JWT_SECRET: 't'.repeat(40) }));
        assert.notEqual(jwt({}), jwt({ STUDIO_AUTH_AUDIENCE: 'other' }));
        assert.notEqual(jwt({ STUDIO_AUTH_JWT_SECRET: '' , STUDIO_AUTH_JWKS_URL: 'https://idp.example/jwks' }), jwt({ STUDIO_AUTH_JWT_SECRET: '', STUDIO_AUTH_JWKS_URL: 'https://idp.example/other' }));
    });

    it('while the core starts: signs in and out in memory, answers "starting" for a cookie it cannot know yet, then writes and loads', async () => {
        const repository = new MemoryWebSessions();
        const stored = { idHash: sessionIdHash('s'.repeat(43)), userId: 'user:bob', userName: 'Bob', role: 'developer' as const, client: 'c',
            fingerprint: credentialFingerprint(resolveAuthConfig({ STUDIO_AUTH_TOKEN: TOKEN })), createdAt: clock - 1000, expiresAt: clock + HOUR, lastUsedAt: clock - 1000 };
        const revokedEarly = { ...stored, idHash: sessionIdHash('r'.repeat(43)) };
        repository.insert(stored);
        repository.insert(revokedEarly);
        const coreHost = host();
        const store = storeWith(coreHost);
        stores.push(store);

        const early = await store.create(ADA, { client: 'c' });
        assert.equal((await store.resolve(early.id)).ok, true);
        assert.equal(await store.revoke('r'.repeat(43)), false);
        const waiting = await store.resolve('s'.repeat(43));
        assert.deepEqual(waiting, { ok: false, starting: true, reason: 'the workspace is still starting and its sessions are not loaded yet; try again in a few seconds' });
        assert.equal(repository.rows.size, 2);

        const lookup = store.resolve('s'.repeat(43));
        coreHost.resolve({ webSessions: repository });
        const found = await lookup;
        assert.equal(found.ok, true);
        assert.deepEqual((found as { user: StudioUser }).user, { id: 'user:bob', displayName: 'Bob', role: 'developer' });
        assert.deepEqual([...repository.rows.keys()].sort(), [stored.idHash, sessionIdHash(early.id)].sort());
        assert.equal((await store.resolve('r'.repeat(43))).ok, false);
    });

    it('keeps sessions in memory alone when the core failed to start, rather than answering "starting" forever', async () => {
        const coreHost = host();
        const store = storeWith(coreHost);
        stores.push(store);
        const session = await store.create(ADA, { client: 'c' });
        coreHost.startFailure = 'the data directory is not writable';
        const unknown = await store.resolve('u'.repeat(43));
        assert.equal(unknown.ok, false);
        assert.equal((unknown as { starting?: boolean }).starting, undefined);
        assert.equal((await store.resolve(session.id)).ok, true);
    });

    it('refuses session settings that are not a sensible number of hours, naming the variable', () => {
        for (const [name, value] of [['STUDIO_SESSION_MAX_HOURS', '0'], ['STUDIO_SESSION_IDLE_HOURS', 'soon'], ['STUDIO_SESSION_MAX_HOURS', '100000'], ['STUDIO_SESSION_IDLE_HOURS', '-1']]) {
            assert.throws(() => resolveAuthConfig({ STUDIO_AUTH_TOKEN: TOKEN, [name]: value }), new RegExp(`${name} must be a number of hours.*"${value}"`));
        }
        const config = resolveAuthConfig({ STUDIO_AUTH_TOKEN: TOKEN, STUDIO_SESSION_MAX_HOURS: '0.5', STUDIO_SESSION_IDLE_HOURS: '0.25' });
        assert.deepEqual([config.sessionMaxMs, config.sessionIdleMs], [HOUR / 2, HOUR / 4]);
        const defaults = resolveAuthConfig({ STUDIO_AUTH_TOKEN: TOKEN });
        assert.deepEqual([defaults.sessionMaxMs, defaults.sessionIdleMs], [24 * HOUR, 8 * HOUR]);
    });
});

describe('SessionStore over a real workspace.db', function () {
    this.timeout(60_000);
    let root: string;
    beforeEach(() => root = fs.mkdtempSync(path.join(os.tmpdir(), 'session-store-')));
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('keeps a person signed in across a restart of the core, and forgets them after sign-out', async () => {
        const run = async (body: (store: SessionStoreImpl, repository: WebSessionRepository) => Promise<void>) => {
            const core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') });
            await core.start();
            const coreHost = host();
            const store = storeWith(coreHost);
            coreHost.resolve(core);
            await new Promise(r => setTimeout(r, 10));
            try {
                await body(store, core.webSessions);
            } finally {
                store.dispose();
                await core.stop();
            }
        };
        let id = '';
        await run(async store => {
            id = (await store.create(ADA, { client: '127.0.0.1' })).id;
        });
        await run(async (store, repository) => {
            assert.equal((await store.resolve(id)).ok, true);
            assert.equal(await store.revoke(id), true);
            assert.equal(repository.get(sessionIdHash(id)), undefined);
        });
        await run(async store => assert.equal((await store.resolve(id)).ok, false));
        assert.equal(fs.readFileSync(path.join(root, 'data', 'workspace.db')).includes(id), false);
    });
});
