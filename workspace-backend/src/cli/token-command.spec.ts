import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseCluster } from '../database/database-cluster';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import { ReplicaLease } from '../replication/lease';
import { hashAgentToken } from '../tokens/agent-token';
import { runCli } from './test-support/run-cli';

describe('coditect-workspace token create / list / revoke (child process)', function () {
    // Each case spawns the CLI; on a loaded CI machine ten spawns take far longer than on an idle one: the limit only stops a hung run.
    this.timeout(180_000);
    let root: string;
    let env: Record<string, string>;
    const operator = `user:${os.userInfo().username}`;
    const workspaceRows = <T>(sql: string): T[] => {
        const db = new Database(path.join(root, 'data', 'workspace.db'), { readonly: true });
        try {
            return db.prepare(sql).all() as T[];
        } finally {
            db.close();
        }
    };

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-token-'));
        env = { STUDIO_DATA_DIR: path.join(root, 'data') };
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('issues a token shown once, lists it without its secret, revokes it, and audits each as the operator', async () => {
        const created = await runCli(['token', 'create', '--agent', 'my-bot', '--label', 'CI on host 3', '--display-name', 'My Bot', '--expires-days', '30'], env);
        assert.equal(created.code, 0, created.stderr);
        const [summary, token] = created.stdout.trim().split('\n');
        assert.match(summary, new RegExp(`^Issued (tok_[0-9a-f]{16})  agent:my-bot \\("My Bot"\\)  active, expires \\S+  created \\S+ by ${operator}  CI on host 3$`));
        assert.match(token, /^cdt_[A-Za-z0-9_-]{43}$/);
        assert.match(created.stderr, /only time the token is shown .*store it now/);
        const id = /(tok_[0-9a-f]{16})/.exec(summary)![1];
        assert.deepEqual(workspaceRows<{ token_hash: string }>('SELECT token_hash FROM tokens').map(r => r.token_hash), [hashAgentToken(token)]);

        const listed = await runCli(['token', 'list'], env);
        assert.equal(listed.code, 0, listed.stderr);
        assert.match(listed.stdout, new RegExp(`^${id}  agent:my-bot \\("My Bot"\\)  active`));
        assert.ok(!listed.stdout.includes(token), 'the list never shows a secret');
        const json = JSON.parse((await runCli(['token', 'list', '--json', '--agent', 'my-bot'], env)).stdout) as { id: string; token?: string }[];
        assert.deepEqual(json.map(t => [t.id, t.token]), [[id, undefined]]);

        const revoked = await runCli(['token', 'revoke', id], env);
        assert.equal(revoked.code, 0, revoked.stderr);
        assert.match(revoked.stdout, new RegExp(`^Revoked: ${id}  agent:my-bot \\("My Bot"\\)  revoked \\S+ by ${operator}`));
        assert.match((await runCli(['token', 'list'], env)).stdout, /revoked/);

        const audit = workspaceRows<{ user_id: string; action: string; target: string; outcome: string; detail: string }>('SELECT user_id, action, target, outcome, detail FROM audit_log ORDER BY id');
        assert.deepEqual(audit.map(a => [a.user_id, a.action, a.target, a.outcome]), [
            [operator, 'token.manage', 'agent:my-bot', 'allowed'],
            [operator, 'token.manage', 'agent tokens', 'allowed'],
            [operator, 'token.manage', 'agent:my-bot', 'allowed'],
            [operator, 'token.manage', `agent:my-bot (${id})`, 'allowed'],
            [operator, 'token.manage', 'agent tokens', 'allowed'],
        ]);
        assert.ok(!JSON.stringify(audit).includes(token), 'never the secret in the audit log');
    });

    it('refuses to change tokens while a studio holds workspace.db or the replica lease, showing the HTTP API instead; lists beside it', async () => {
        // A studio on this data directory, replication off: it holds every database's writer claim.
        const offEnv = { ...env, STUDIO_REPLICA_URL: 'off' };
        const studio = new DatabaseCluster({ dataDir: path.join(root, 'data'), writerRole: 'the studio' }).open();
        try {
            const refused = await runCli(['token', 'create', '--agent', 'my-bot', '--label', 'it\'s mine'], offEnv);
            assert.equal(refused.code, 3, refused.stderr);
            assert.match(refused.stderr, /Refusing to change the agent tokens in .*: a studio is running on it; .*written by .*the studio/);
            assert.match(refused.stderr, /Use the studio's HTTP API instead, with an admin's credential:\n {2}curl -H "Authorization: Bearer \$ADMIN_TOKEN" -H 'content-type: application\/json' -X POST http:\/\/127\.0\.0\.1:3000\/coditect\/api\/tokens -d '\{"agentId":"my-bot","label":"it'\\''s mine"\}'/);
            const revoke = await runCli(['token', 'revoke', 'tok_0123456789abcdef'], offEnv);
            assert.equal(revoke.code, 3);
            assert.match(revoke.stderr, /curl -H "Authorization: Bearer \$ADMIN_TOKEN" -X DELETE http:\/\/127\.0\.0\.1:3000\/coditect\/api\/tokens\/tok_0123456789abcdef/);
            const listed = await runCli(['token', 'list'], offEnv);
            assert.equal(listed.code, 0, `listing beside a studio works: ${listed.stderr}`);
            assert.equal(listed.stdout.trim(), 'No agent tokens.');
        } finally {
            await studio.close();
        }

        const lease = new ReplicaLease(new DirectoryObjectStore(path.join(root, 'replica')), { owner: 'studio-on-host-a', ttlMs: 30_000 });
        await lease.acquire();
        const refused = await runCli(['token', 'create', '--agent', 'my-bot'], env);
        assert.equal(refused.code, 3);
        assert.match(refused.stderr, /a studio is running on it; its replication lease is held by studio-on-host-a.*\n {2}curl .*-X POST .*\/coditect\/api\/tokens -d '\{"agentId":"my-bot"\}'/);
    });

    it('says what is wrong with bad input (exit 2) and an unknown token (exit 1)', async () => {
        const cases: [string[], number, RegExp][] = [
            [['token'], 2, /Say what to do: coditect-workspace token create\|list\|revoke/],
            [['token', 'mint'], 2, /Unknown token command "mint"; use create, list, revoke/],
            [['token', 'create'], 2, /Name the agent the token is for: coditect-workspace token create --agent <id>/],
            [['token', 'create', '--agent', 'Not An Id'], 2, /"Not An Id" is not an agent id/],
            [['token', 'create', '--agent', 'bot', '--expires-days', 'soon'], 2, /--expires-days must be a number of days \(e\.g\. 30\), not "soon"/],
            [['token', 'create', '--agent', 'bot', '--expires-days=0'], 2, /"expiresInDays" must be a number of days above 0/],
            [['token', 'revoke'], 2, /Name one token to revoke by its id/],
            [['token', 'revoke', 'cdt_abc'], 2, /is not a token id/],
            [['token', 'revoke', 'tok_0123456789abcdef'], 1, /There is no agent token with id "tok_0123456789abcdef"/],
        ];
        for (const [args, code, message] of cases) {
            const run = await runCli(args, env);
            assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
            assert.match(run.stderr, message, args.join(' '));
        }
        assert.match((await runCli(['--help'], env)).stdout, /\n {2}token {13}Issue, list or revoke agent tokens/);
    });
});
