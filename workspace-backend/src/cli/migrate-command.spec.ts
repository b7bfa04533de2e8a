import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { WorkspaceCore } from '../core/workspace-core';
import { startS3TestServer, S3TestServer } from '../migration/test-support/s3-test-server';
import { generateV1Data, s3Sink, V1ObjectsWritten } from '../migration/v1-generator';
import { V1Keys } from '../migration/v1-reader';
import { S3Source } from '../migration/v1-source';
import { runCli } from './test-support/run-cli';

/** Every file of the S3 server's folder with its bytes' hash: what "v1 was not changed" is checked against. */
function folderState(dir: string): Record<string, string> {
    const state: Record<string, string> = {};
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) {
            const file = path.join(entry.parentPath, entry.name);
            state[path.relative(dir, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
        }
    }
    return state;
}

describe('coditect-workspace migrate', function () {
    this.timeout(180_000);
    let server: S3TestServer;
    let written: V1ObjectsWritten;
    let env: Record<string, string>;

    before(async () => {
        server = await startS3TestServer({ buckets: ['coditect-v1'] });
        const sink = s3Sink({ url: 's3://coditect-v1', endpoint: server.endpoint, credentials: server.credentials });
        written = await generateV1Data(sink, { users: 3, seed: 11, largeLogRecords: 300, faultyUsers: ['u0002'] });
        sink.close();
        env = {
            STUDIO_V1_URL: 's3://coditect-v1', STUDIO_V1_ENDPOINT: server.endpoint,
            AWS_ACCESS_KEY_ID: server.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
        };
    });

    after(async () => {
        await server?.close();
    });

    describe('plan', () => {
        it('reports per user what v2 gets and every record it cannot convert, writing nothing', async () => {
            const before = folderState(server.dir);
            const run = await runCli(['migrate', 'plan', '--all', '--json'], env);
            assert.equal(run.code, 1, run.stderr);
            const report = JSON.parse(run.stdout) as { users: { user: string; create: Record<string, number>; problems: { object: string; problem: string; action: string }[] }[]; problems: number };
            assert.deepEqual(report.users.map(u => u.user), ['u0001', 'u0002', 'u0003']);
            for (const expected of written.users) {
                const user = report.users.find(u => u.user === expected.userId)!;
                assert.deepEqual(
                    [user.create.sessions, user.create.events, user.create.files, user.create.bytes, user.create.costRows, user.create.tokens],
                    [expected.sessions, expected.records, expected.files, expected.bytes, expected.usageRecords, expected.tokens], expected.userId);
                assert.equal(user.problems.length, expected.faults.length, `${expected.userId}: ${JSON.stringify(user.problems, undefined, 1)}`);
            }
            assert.equal(report.problems, 7);
            assert.deepEqual(folderState(server.dir), before, 'the v1 store is read, never written');
        });

        it('prints a readable report, exit 0 when every record converts', async () => {
            const clean = await runCli(['migrate', 'plan', '--user', 'u0001', '--user', 'u0003'], env);
            assert.equal(clean.code, 0, clean.stderr);
            const expected = written.users[0];
            assert.match(clean.stdout, new RegExp(`^u0001 \\(${expected.displayName}\\): ${expected.sessions} session\\(s\\) with ${expected.records} event\\(s\\), ${expected.files} file\\(s\\)`, 'm'));
            assert.match(clean.stdout, /2 user\(s\) from s3:\/\/coditect-v1\/ at 127\.0\.0\.1:\d+: .*\nEvery record converts\./);

            const faulty = await runCli(['migrate', 'plan', '--user', 'u0002'], env);
            assert.equal(faulty.code, 1);
            assert.match(faulty.stdout, /cannot convert 7:\n(.*\n)* {4}users\/u0002\/sessions\/[^ ]+\/log\/000001\.jsonl line 4: not JSON: .*; fix the record in a copy of the v1 data or accept leaving it out \(migrate run --allow-skips\)/);
            assert.match(faulty.stdout, /7 record\(s\) cannot be converted \(listed above\)/);
        });

        it('refuses bad input with what to do, and never prints the credentials', async () => {
            const cases: [string[], Record<string, string>, number, RegExp][] = [
                [['migrate', 'plan', '--all'], { ...env, STUDIO_V1_URL: '' }, 2, /Give the v1 store: --v1 s3:\/\/<bucket>/],
                [['migrate'], env, 2, /Name the action: coditect-workspace migrate plan/],
                [['migrate', 'plna'], env, 2, /Unknown migrate action "plna"/],
                [['migrate', 'plan'], env, 2, /Name the users: --user <id>/],
                [['migrate', 'plan', '--all', '--user', 'u0001'], env, 2, /either --all or --user/],
                [['migrate', 'plan', '--user', 'u9999'], env, 1, /No v1 data for user "u9999"/],
                [['migrate', 'plan', '--all', '--v1', 'gs://coditect-v1'], env, 2, /not an S3 location/],
                [['migrate', 'plan', '--all', '--v1', 's3://other-bucket'], env, 1, /NoSuchBucket .*check the bucket name/],
                [['migrate', 'plan', '--all'], { ...env, AWS_ACCESS_KEY_ID: 'UNKNOWNKEY', AWS_SECRET_ACCESS_KEY: 'not-the-secret-0123456789' }, 1, /HTTP 403.*check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/],
            ];
            for (const [args, caseEnv, code, message] of cases) {
                const run = await runCli(args, caseEnv);
                assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
                assert.match(run.stderr, message, args.join(' '));
                assert.ok(!`${run.stdout}${run.stderr}`.includes('not-the-secret'), 'the secret key is never printed');
            }
        });
    });

    describe('run and verify', () => {
        let root: string;
        let counter = 0;
        /** A fresh v2 workspace: its data directory, folder and directory replica. */
        const workspace = () => {
            const dir = path.join(root, `w${++counter}`);
            return {
                dir, data: path.join(dir, 'data'), ws: path.join(dir, 'ws'), replica: path.join(dir, 'replica'),
                env: { ...env, STUDIO_DATA_DIR: path.join(dir, 'data'), STUDIO_WORKSPACE: path.join(dir, 'ws'), STUDIO_REPLICA_URL: pathToFileURL(path.join(dir, 'replica')).href },
            };
        };

        before(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-run-'));
        });

        after(() => {
            fs.rmSync(root, { recursive: true, force: true });
        });

        /** What the workspace holds, table by table and file by file, for "the same workspace" comparisons. */
        function contents(w: ReturnType<typeof workspace>): Record<string, unknown> {
            const query = (db: string, sql: string) => {
                const handle = new Database(path.join(w.data, `${db}.db`), { readonly: true });
                try {
                    return handle.prepare(sql).all();
                } finally {
                    handle.close();
                }
            };
            return {
                sessions: query('sessions', 'SELECT id, kind, title, source, started_at, ended_at, event_count FROM sessions ORDER BY id'),
                events: query('sessions', 'SELECT session_id, n, at, kind, agent_id, path, data_json FROM timeline_events ORDER BY session_id, n'),
                usage: query('metrics', 'SELECT import_key, agent_id, provider, model, at, input_tokens, output_tokens, cache_read_tokens FROM token_usage ORDER BY import_key'),
                ledger: query('metrics', 'SELECT count(*) AS n, sum(input_tokens + output_tokens + cache_read_tokens) AS tokens FROM cost_ledger'),
                files: folderState(w.ws),
                archive: Object.keys(folderState(path.join(w.data, 'timeline-archive'))).filter(f => f.endsWith('.jsonl')).length,
            };
        }

        it('moves a user whole: verify says 100 %, a second run adds nothing, and a studio started on the replica alone has it all', async () => {
            const expected = written.users[0];
            const w = workspace();
            const first = await runCli(['migrate', 'run', '--user', 'u0001', '--json'], w.env);
            assert.equal(first.code, 0, first.stderr);
            const report = JSON.parse(first.stdout);
            assert.deepEqual([report.counts.sessions, report.counts.events, report.counts.files, report.counts.costRows], [expected.sessions, expected.records, expected.files, expected.usageRecords]);
            assert.deepEqual(report.added, { events: expected.records, files: expected.files, costRows: expected.usageRecords });
            const verified = await runCli(['migrate', 'verify', '--user', 'u0001'], w.env);
            assert.equal(verified.code, 0, verified.stdout + verified.stderr);
            assert.match(verified.stdout, /^u0001: 100 % \((\d+) of \1 v1 items match in v2\)\.$/m);
            const once = contents(w);
            assert.equal(fs.readFileSync(path.join(w.ws, 'src/ünïcødé/файл.ts'), 'utf8'), 'src/ünïcødé/файл.ts of u0001\n');
            assert.ok(fs.statSync(path.join(w.ws, 'scripts/build.sh')).mode & 0o100, 'the executable bit came along');

            const second = await runCli(['migrate', 'run', '--user', 'u0001', '--json'], w.env);
            assert.equal(second.code, 0, second.stderr);
            assert.deepEqual(JSON.parse(second.stdout).added, { events: 0, files: 0, costRows: 0 });
            assert.deepEqual(contents(w), once, 'running it twice gives the same workspace');

            // A studio on a new machine: empty disk, the replica only. It restores the databases and the files.
            const fresh = workspace();
            const core = new WorkspaceCore({ workspaceDir: fresh.ws, dataDir: fresh.data });
            const savedUrl = process.env.STUDIO_REPLICA_URL;
            process.env.STUDIO_REPLICA_URL = pathToFileURL(w.replica).href;
            try {
                await core.start();
                const sessions = core.timeline.sessions().filter(x => x.source?.startsWith('v1:u0001/'));
                assert.equal(sessions.length, expected.sessions);
                assert.equal(sessions.reduce((n, x) => n + x.eventCount, 0), expected.records);
                assert.equal(fs.readFileSync(path.join(fresh.ws, 'README.md'), 'utf8'), fs.readFileSync(path.join(w.ws, 'README.md'), 'utf8'));
                await core.costs.caughtUp();
                const priced = core.databases.get('metrics').get<{ n: number }>('SELECT count(*) AS n FROM cost_ledger c JOIN token_usage u ON u.id = c.usage_id WHERE u.import_key IS NOT NULL');
                assert.equal(priced!.n, expected.usageRecords);
            } finally {
                await core.stop();
                if (savedUrl === undefined) {
                    delete process.env.STUDIO_REPLICA_URL;
                } else {
                    process.env.STUDIO_REPLICA_URL = savedUrl;
                }
            }
        });

        it('killed part way, run again, it finishes with the same workspace as a run that was never stopped', async () => {
            const killed = workspace();
            const child = spawn(process.execPath, [path.join(__dirname, 'main.js'), 'migrate', 'run', '--user', 'u0001'], { env: { ...process.env, ...killed.env } });
            let stderr = '';
            await new Promise<void>((resolve, reject) => {
                child.stderr.on('data', d => {
                    stderr += d;
                    // The first session's import is under way: the run has begun writing.
                    if (/session s001-/.test(stderr)) {
                        child.kill('SIGKILL');
                    }
                });
                child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`the run ended before it was killed (exit ${code}): ${stderr}`))));
            });
            const state = new Database(path.join(killed.data, 'workspace.db'), { readonly: true });
            assert.equal(state.prepare('SELECT state FROM v1_imports WHERE user_id = ?').pluck().get('u0001'), 'running', 'the kill landed inside the run');
            state.close();
            const unfinished = await runCli(['migrate', 'verify', '--user', 'u0001'], killed.env);
            assert.equal(unfinished.code, 1, 'a half-done migration does not verify');

            const resumed = await runCli(['migrate', 'run', '--user', 'u0001'], killed.env);
            assert.equal(resumed.code, 0, resumed.stderr);
            const whole = workspace();
            assert.equal((await runCli(['migrate', 'run', '--user', 'u0001'], whole.env)).code, 0);
            assert.deepEqual(contents(killed), contents(whole));
            assert.equal((await runCli(['migrate', 'verify', '--user', 'u0001'], killed.env)).code, 0);
        });

        it('refuses a user with bad records unless told to leave them out, then verify lists each one', async () => {
            const w = workspace();
            const refused = await runCli(['migrate', 'run', '--user', 'u0002'], w.env);
            assert.equal(refused.code, 2);
            assert.match(refused.stderr, /7 record\(s\) of v1 user "u0002" cannot be converted \(coditect-workspace migrate plan --user u0002 lists them\); fix them in v1, or run again with --allow-skips/);
            assert.ok(!fs.existsSync(w.ws) || fs.readdirSync(w.ws).length === 0, 'nothing was written');

            const skipped = await runCli(['migrate', 'run', '--user', 'u0002', '--allow-skips'], w.env);
            assert.equal(skipped.code, 0, skipped.stderr);
            assert.match(skipped.stdout, /Left out \(7\):/);
            const verified = await runCli(['migrate', 'verify', '--user', 'u0002', '--json'], w.env);
            assert.equal(verified.code, 1);
            const report = JSON.parse(verified.stdout);
            assert.ok(report.integrityPct < 100);
            assert.equal(report.differences.length, 7);
            assert.ok(report.differences.every((d: { what: string; difference: string }) => d.what === 'record' && d.difference.startsWith('not migrated: ')));
            // Another user into the same workspace is refused: one workspace is one user.
            const other = await runCli(['migrate', 'run', '--user', 'u0001'], w.env);
            assert.equal(other.code, 2);
            assert.match(other.stderr, /holds v1 user "u0002".*give user "u0001" a workspace of their own/);
        });

        it('rollback discards the v2 workspace and its replica, never v1, and will not throw away work done in v2 unless told', async () => {
            const w = workspace();
            const v1Before = folderState(server.dir);
            assert.equal((await runCli(['migrate', 'run', '--user', 'u0001'], w.env)).code, 0);
            fs.writeFileSync(path.join(w.ws, 'notes.md'), 'written in v2\n');
            const refused = await runCli(['migrate', 'rollback', '--user', 'u0001'], w.env);
            assert.equal(refused.code, 3);
            assert.match(refused.stderr, /Work was done in the v2 workspace since the migration: 1 workspace file\(s\) changed, added or deleted since the migration \(notes\.md\)\. .*--discard-v2-work/);
            assert.ok(fs.existsSync(path.join(w.ws, 'notes.md')), 'a refused rollback discards nothing');

            const rolled = await runCli(['migrate', 'rollback', '--user', 'u0001', '--discard-v2-work', '--json'], w.env);
            assert.equal(rolled.code, 0, rolled.stderr);
            const report = JSON.parse(rolled.stdout);
            assert.ok(report.replicaObjects > 10);
            assert.deepEqual([fs.readdirSync(w.ws), fs.readdirSync(w.data), folderState(w.replica)], [[], [], {}], 'no file is left of the v2 workspace');
            assert.deepEqual(folderState(server.dir), v1Before, 'v1 was never written');

            const again = await runCli(['migrate', 'rollback', '--user', 'u0001'], w.env);
            assert.equal(again.code, 1);
            assert.match(again.stderr, /holds no migration of v1 user "u0001" \(never migrated, or already rolled back\): nothing to roll back/);
            // And the user can be moved again later, from v1 as it is.
            assert.equal((await runCli(['migrate', 'run', '--user', 'u0001'], w.env)).code, 0);
            assert.equal((await runCli(['migrate', 'verify', '--user', 'u0001'], w.env)).code, 0);
        });

        it('a later run brings what v1 got since (a delta), keeps a person\'s edit in v2, and verify finds a change made behind its back', async () => {
            const w = workspace();
            assert.equal((await runCli(['migrate', 'run', '--user', 'u0003'], w.env)).code, 0);
            // v1 goes on: a new session, a new usage batch, and a newer snapshot that changes one file and drops another.
            const sink = s3Sink({ url: 's3://coditect-v1', endpoint: server.endpoint, credentials: server.credentials });
            const at = (s: number) => new Date(Date.UTC(2025, 5, 1, 0, 0, s)).toISOString();
            await sink.put(V1Keys.sessionMeta('u0003', 's900-late'), Buffer.from(JSON.stringify({ version: 1, sessionId: 's900-late', title: 'A late session', agent: 'claude', startedAt: at(0), endedAt: at(9) })));
            await sink.put(V1Keys.logPart('u0003', 's900-late', 1), Buffer.from([1, 2].map(i => JSON.stringify({ v: 1, id: `late-${i}`, at: at(i), type: 'message', role: 'user', text: `late ${i}` })).join('\n') + '\n'));
            await sink.put(V1Keys.usage('u0003', '2025-06', 'late'), Buffer.from(JSON.stringify({ v: 1, id: 'late-usage', at: at(5), agent: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-5', inputTokens: 10, outputTokens: 2, costUsd: 0.001 }) + '\n'));
            const readme = Buffer.from('# Changed in v1 after the first run\n');
            const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
            await sink.put(V1Keys.blob('u0003', sha(readme)), readme);
            const source = new S3Source({ url: 's3://coditect-v1', endpoint: server.endpoint, credentials: server.credentials });
            const snapshot = JSON.parse((await source.get(V1Keys.manifest('u0003', 'snap-0002'))).toString()) as { files: { path: string; size: number; sha256: string }[] };
            source.close();
            const files = snapshot.files.filter(f => f.path !== 'empty.txt').map(f => (f.path === 'README.md' ? { path: f.path, size: readme.length, sha256: sha(readme) } : f));
            await sink.put(V1Keys.manifest('u0003', 'snap-0003'), Buffer.from(JSON.stringify({ version: 1, snapshotId: 'snap-0003', takenAt: at(30), files })));
            sink.close();
            // Meanwhile a person edited a file in v2.
            fs.writeFileSync(path.join(w.ws, 'src/index.ts'), 'export const answer = 42; // edited in v2\n');

            const delta = await runCli(['migrate', 'run', '--user', 'u0003', '--allow-skips', '--json'], w.env);
            assert.equal(delta.code, 0, delta.stderr);
            const report = JSON.parse(delta.stdout);
            assert.deepEqual(report.added, { events: 2, files: 1, costRows: 1 });
            assert.deepEqual(report.files.removed, ['empty.txt']);
            assert.deepEqual(report.files.kept.map((k: { path: string }) => k.path), ['src/index.ts']);
            assert.equal(fs.readFileSync(path.join(w.ws, 'README.md'), 'utf8'), readme.toString());
            assert.equal(fs.readFileSync(path.join(w.ws, 'src/index.ts'), 'utf8'), 'export const answer = 42; // edited in v2\n', 'the person\'s edit is not overwritten');

            const verified = await runCli(['migrate', 'verify', '--user', 'u0003', '--json'], w.env);
            assert.equal(verified.code, 1);
            const differences = JSON.parse(verified.stdout).differences as { what: string; where: string; difference: string }[];
            assert.deepEqual(differences.map(d => `${d.what} ${d.where}`), ['file src/index.ts']);
        });
    });
});
