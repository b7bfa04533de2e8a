import * as assert from 'node:assert/strict';
import { startS3TestServer, S3TestServer } from './test-support/s3-test-server';
import { generateV1Data, s3Sink, V1ObjectsWritten } from './v1-generator';
import { V1Keys, V1Reader, workspacePathProblem } from './v1-reader';
import { S3Source, V1SourceError } from './v1-source';
import { countsOf, readV1User } from './v1-user';

describe('V1Reader: the v1 layout read through the AWS SDK from a real S3 server', function () {
    this.timeout(120_000);
    let server: S3TestServer;
    let written: V1ObjectsWritten;
    let source: S3Source;
    let reader: V1Reader;

    before(async () => {
        server = await startS3TestServer({ buckets: ['coditect-v1'] });
        const sink = s3Sink({ url: 's3://coditect-v1/prod', endpoint: server.endpoint, credentials: server.credentials });
        written = await generateV1Data(sink, { users: 4, seed: 7, largeLogRecords: 600, faultyUsers: ['u0003'] });
        sink.close();
        // Small pages, so listings cross continuation tokens as real buckets' do.
        source = new S3Source({ url: 's3://coditect-v1/prod', endpoint: server.endpoint, credentials: server.credentials, pageSize: 7 });
        reader = new V1Reader(source);
    });

    after(async () => {
        source?.close();
        await server?.close();
    });

    it('lists the users and reads each clean one whole: sessions, every log record, the newest snapshot, usage', async () => {
        const users: string[] = [];
        for await (const user of reader.users()) {
            users.push(user);
        }
        assert.deepEqual(users, ['u0001', 'u0002', 'u0003', 'u0004']);
        for (const expected of written.users.filter(u => !u.faults.length)) {
            const user = await readV1User(reader, expected.userId);
            assert.deepEqual(user.problems, [], `${expected.userId} reads without problems`);
            assert.equal(user.profile.displayName, expected.displayName);
            const counts = countsOf(user);
            assert.deepEqual(
                { sessions: counts.sessions, events: counts.events, files: counts.files, bytes: counts.bytes, costRows: counts.costRows, tokens: counts.tokens },
                { sessions: expected.sessions, events: expected.records, files: expected.files, bytes: expected.bytes, costRows: expected.usageRecords, tokens: expected.tokens },
            );
            // The newest snapshot is the workspace, odd names included; every blob matches its manifest.
            assert.equal(user.snapshot!.id, 'snap-0002');
            assert.ok(user.snapshot!.files.some(f => f.path === 'src/ünïcødé/файл.ts'));
            assert.ok(user.snapshot!.files.find(f => f.path === 'scripts/build.sh')!.executable);
            const logo = user.snapshot!.files.find(f => f.path === 'assets/logo.png')!;
            assert.equal((await reader.blob(expected.userId, logo)).subarray(1, 4).toString(), 'PNG');
        }
        // u0001 has the large log, over three parts, read in order.
        const large = (await readV1User(reader, 'u0001')).sessions[0];
        assert.equal(large.session.parts.length, 3);
        assert.equal(large.records.length, 600);
        assert.deepEqual(large.records.slice(0, 5).map(r => r.type), ['message', 'message', 'tool_call', 'tool_result', 'note']);
        assert.ok(large.records.every((r, i) => i === 0 || r.at >= large.records[i - 1].at));
    });

    it('reports every kind of bad data with the object, the line and what to do, and still reads the rest', async () => {
        const expected = written.users.find(u => u.userId === 'u0003')!;
        const user = await readV1User(reader, 'u0003');
        const counts = countsOf(user);
        assert.deepEqual([counts.sessions, counts.events, counts.files, counts.costRows], [expected.sessions, expected.records, expected.files, expected.usageRecords]);
        const problems = user.problems.map(p => `${p.object}${p.line ? `:${p.line}` : ''} ${p.problem}`);
        const about = (kind: string) => expected.faults.filter(f => f.kind === kind).map(f => f.object);
        const [truncated] = about('truncated-log');
        assert.ok(problems.some(p => p.startsWith(truncated) && p.includes('cut-off line')), problems.join('\n'));
        assert.ok(problems.some(p => p.startsWith(`${about('invalid-json')[0]}:4 not JSON`)), problems.join('\n'));
        assert.ok(problems.some(p => p.startsWith(about('unknown-version')[0]) && p.includes('version 3 is not a session version this migration knows (1, 2)')), problems.join('\n'));
        assert.ok(problems.some(p => p.startsWith(about('missing-blob')[0]) && p.includes('content of "lost/ghost.txt" is missing')), problems.join('\n'));
        assert.ok(problems.some(p => p.startsWith(about('invalid-path')[0]) && p.includes('"../outside.txt" has an empty, "." or ".." segment')), problems.join('\n'));
        for (const object of about('duplicate-id')) {
            assert.ok(problems.some(p => p.startsWith(object) && /appears twice|already read/.test(p)), `a duplicate in ${object}:\n${problems.join('\n')}`);
        }
        assert.equal(user.problems.length, 7, problems.join('\n'));
        assert.ok(user.problems.every(p => p.user === 'u0003' && p.action.length > 10));
    });

    it('says so when a user has no data, an id is not one, or the bucket is not there', async () => {
        await assert.rejects(readV1User(reader, 'nobody'), (e: V1SourceError) => e.missing && /No v1 data for user "nobody"/.test(e.message));
        await assert.rejects(readV1User(reader, '../u0001'), /is not a v1 user id/);
        const wrong = new S3Source({ url: 's3://no-such-bucket', endpoint: server.endpoint, credentials: server.credentials });
        try {
            await assert.rejects(readV1User(new V1Reader(wrong), 'u0001'), /NoSuchBucket.*check the bucket name/);
        } finally {
            wrong.close();
        }
        assert.throws(() => new S3Source({ url: 'gs://bucket' }), /not an S3 location; give the v1 bucket as s3:\/\/<bucket>/);
        assert.equal(V1Keys.logPart('u', 's', 12), 'users/u/sessions/s/log/000012.jsonl');
    });

    it('keeps manifest paths inside the workspace', () => {
        for (const bad of ['/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'C:\\x', 'a\\b', '.git/config', 'x\u0000y', `${'n'.repeat(256)}/f`]) {
            assert.ok(workspacePathProblem(bad), bad);
        }
        for (const good of ['a.txt', 'src/ünïcødé/файл.ts', 'with space/a b (1).txt', '.github/workflows/ci.yml', 'emoji 🚀/launch.md']) {
            assert.equal(workspacePathProblem(good), undefined, good);
        }
    });
});
