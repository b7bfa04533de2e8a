import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startS3TestServer, S3TestServer } from '../migration/test-support/s3-test-server';
import { generateV1Data, s3Sink, V1ObjectsWritten } from '../migration/v1-generator';
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
});
