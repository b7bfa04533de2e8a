import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { AuditLog } from '../audit/audit-log';
import { DatabaseCluster } from '../database/database-cluster';
import { migrate } from '../database/migrations';
import { workspaceMigrations } from '../database/schema/workspace-migrations';
import { agentPrincipal, personPrincipal, PolicyDeniedError, PolicyImpl } from '../policy';
import { AgentTokenInputError, hashAgentToken, UnknownAgentTokenError } from './agent-token';
import { AgentTokenRepository } from './agent-token-repository';
import { AgentTokens } from './agent-tokens';

const admin = personPrincipal({ id: 'user:ada', displayName: 'Ada', role: 'admin' });
const developer = personPrincipal({ id: 'user:dev', displayName: 'Dev', role: 'developer' });

describe('agent tokens (tokens/)', () => {
    let root: string;
    let cluster: DatabaseCluster;
    let audit: AuditLog;
    let now: number;
    let tokens: AgentTokens;

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-tokens-'));
        cluster = new DatabaseCluster({ dataDir: root, poolSize: 3 }).open();
        const db = cluster.get('workspace');
        audit = new AuditLog(db);
        now = Date.parse('2026-12-01T00:00:00Z');
        tokens = new AgentTokens(new AgentTokenRepository(db, () => now), new PolicyImpl(() => audit), () => now);
    });
    afterEach(async () => {
        await cluster.close();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('issues a token shown once with its prefix, stores only its SHA-256, and authenticates it as agent:<id>', () => {
        const issued = tokens.issue(admin, { agentId: 'agent:gemini', displayName: 'Gemini', label: 'CI', expiresInDays: 30 });
        assert.match(issued.token, /^cdt_[A-Za-z0-9_-]{43}$/);
        assert.match(issued.id, /^tok_[0-9a-f]{16}$/);
        assert.deepEqual([issued.agentId, issued.displayName, issued.label, issued.createdBy, issued.status], ['gemini', 'Gemini', 'CI', 'user:ada', 'active']);
        assert.equal(issued.expiresAt, now + 30 * 24 * 60 * 60_000);

        const rows = cluster.get('workspace').all<Record<string, unknown>>('SELECT * FROM tokens');
        assert.equal(rows.length, 1);
        assert.equal(rows[0].token_hash, hashAgentToken(issued.token));
        assert.ok(!JSON.stringify(rows).includes(issued.token), 'the secret is not stored');
        assert.ok(!JSON.stringify(tokens.list(admin)).includes(issued.token), 'nor listed');
        assert.ok(!JSON.stringify(audit.recent()).includes(issued.token), 'nor audited');

        const result = tokens.authenticate(issued.token);
        if (!result.ok) {
            assert.fail(result.message);
        }
        assert.deepEqual(result.principal, { kind: 'agent', id: 'agent:gemini', displayName: 'Gemini' });
    });

    it('rejects unknown, revoked and expired tokens, saying which without echoing the token', () => {
        const issued = tokens.issue(admin, { agentId: 'bot', expiresInDays: 1 });
        const forged = `cdt_${'A'.repeat(43)}`;
        const rejection = (token: string) => {
            const result = tokens.authenticate(token);
            assert.equal(result.ok, false);
            assert.ok(!result.ok && !result.message.includes(token));
            return !result.ok ? [result.rejection, result.message] : [];
        };
        assert.equal(rejection(forged)[0], 'unknown');
        assert.equal(rejection('cdt_short')[0], 'unknown');

        now += 25 * 60 * 60_000;
        const [kind, message] = rejection(issued.token);
        assert.equal(kind, 'expired');
        assert.match(message, new RegExp(`the agent token ${issued.id} for agent:bot expired at 2026-12-02T00:00:00.000Z`));

        const other = tokens.issue(admin, { agentId: 'bot' });
        assert.equal(tokens.authenticate(other.token).ok, true);
        const revoked = tokens.revoke(admin, other.id);
        assert.deepEqual([revoked.status, revoked.revokedBy], ['revoked', 'user:ada']);
        const [revokedKind, revokedMessage] = rejection(other.token);
        assert.equal(revokedKind, 'revoked');
        assert.match(revokedMessage, /was revoked at .*ask an admin for a new one/);
        assert.deepEqual(tokens.list(admin).map(t => [t.id, t.status]), [[other.id, 'revoked'], [issued.id, 'expired']]);
        assert.deepEqual(tokens.list(admin, { agentId: 'nobody' }), []);
    });

    it('lets only an admin issue, list or revoke, auditing every decision with the agent and never the secret', () => {
        assert.throws(() => tokens.issue(developer, { agentId: 'claude' }), (error: unknown) =>
            error instanceof PolicyDeniedError && /Dev \(developer\) may not issue, list or revoke agent tokens \(agent:claude\): only an admin may/.test(error.message));
        assert.throws(() => tokens.issue(agentPrincipal('claude'), { agentId: 'claude' }), PolicyDeniedError);
        assert.throws(() => tokens.list(developer), PolicyDeniedError);
        const issued = tokens.issue(admin, { agentId: 'claude', label: 'laptop' });
        assert.throws(() => tokens.revoke(developer, issued.id), PolicyDeniedError);
        assert.equal(tokens.authenticate(issued.token).ok, true, 'a refused revocation changes nothing');
        tokens.revoke(admin, issued.id);
        assert.deepEqual(audit.recent({ action: 'token.manage' }).reverse().map(e => [e.userId, e.target, e.outcome]), [
            ['user:dev', 'agent:claude', 'refused'],
            ['agent:claude', 'agent:claude', 'refused'],
            ['user:dev', 'agent tokens', 'refused'],
            ['user:ada', 'agent:claude', 'allowed'],
            ['user:dev', `agent:claude (${issued.id})`, 'refused'],
            ['user:ada', `agent:claude (${issued.id})`, 'allowed'],
        ]);
        assert.ok(!JSON.stringify(audit.recent()).includes(issued.token));
    });

    it('says what is wrong with bad input, before asking the policy', () => {
        const bad: [object, RegExp][] = [
            [{}, /"agentId" is required/],
            [{ agentId: 'Has Spaces' }, /is not an agent id: use 1 to 64 lower-case letters/],
            [{ agentId: 'bot', expiresInDays: 0 }, /"expiresInDays" must be a number of days above 0/],
            [{ agentId: 'bot', expiresInDays: '30' }, /"expiresInDays" must be a number/],
            [{ agentId: 'bot', label: 'x'.repeat(201) }, /"label" must be text of at most 200 characters/],
            [{ agentId: 'bot', displayName: 'a\nb' }, /"displayName" must be text/],
        ];
        for (const [request, expected] of bad) {
            assert.throws(() => tokens.issue(admin, request as never), (error: unknown) => error instanceof AgentTokenInputError && expected.test(error.message), JSON.stringify(request));
        }
        assert.throws(() => tokens.revoke(admin, 'cdt_secret'), /is not a token id .*A token's secret \(cdt_…\) is not its id/);
        assert.throws(() => tokens.revoke(admin, 'tok_0000000000000000'), UnknownAgentTokenError);
        assert.equal(audit.recent().filter(e => e.outcome === 'allowed' && e.action === 'token.manage').length, 1, 'only the unknown revoke reached the policy');
    });

    it('migrates an older workspace.db: agent tokens kept as they were, the never-used people\'s tokens and users tables gone, an agent id required', () => {
        const file = path.join(root, 'old-workspace.db');
        const db = new Database(file);
        try {
            migrate(db, 'workspace', workspaceMigrations.slice(0, 6));
            db.prepare('INSERT INTO users (id, display_name, created_at) VALUES (?, ?, ?)').run('user:ada', 'Ada', 1);
            db.prepare('INSERT INTO tokens (id, user_id, token_hash, label, created_at) VALUES (?, ?, ?, ?, ?)').run('t1', 'user:ada', 'h1', 'by hand', 2);
            db.prepare('INSERT INTO tokens (id, agent_id, display_name, token_hash, label, created_at, created_by, expires_at, revoked_at, revoked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
                .run('t2', 'bot', 'Bot', 'h2', 'ci', 3, 'user:ada', 9, 5, 'user:ada');
            assert.deepEqual(migrate(db, 'workspace', workspaceMigrations), { from: 6, to: workspaceMigrations.length });
            assert.deepEqual(db.prepare('SELECT * FROM tokens').all(),
                [{ id: 't2', agent_id: 'bot', display_name: 'Bot', token_hash: 'h2', label: 'ci', created_at: 3, created_by: 'user:ada', expires_at: 9, revoked_at: 5, revoked_by: 'user:ada' }]);
            const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all().map(r => (r as { name: string }).name);
            assert.ok(!tables.includes('users') && !tables.includes('roles') && !tables.includes('user_roles'), tables.join(', '));
            assert.throws(() => db.prepare('INSERT INTO tokens (id, token_hash, created_at) VALUES (?, ?, ?)').run('t3', 'h3', 3), /NOT NULL constraint/);
            db.prepare('INSERT INTO tokens (id, agent_id, token_hash, created_at) VALUES (?, ?, ?, ?)').run('t4', 'bot', 'h4', 3);
        } finally {
            db.close();
        }
    });
});
