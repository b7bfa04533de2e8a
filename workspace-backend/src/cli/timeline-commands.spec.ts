import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import { ReplicaLease } from '../replication/lease';
import { parseArchiveLine } from '../timeline/archive-format';
import { runCli } from './test-support/run-cli';

const transcript = path.resolve(__dirname, '../../../test/fixtures/transcripts/claude-code-session.jsonl');


describe('coditect-workspace import / sessions / export / timeline-rebuild (child process)', function () {
    this.timeout(60_000);
    let root: string;
    let env: Record<string, string>;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-timeline-'));
        env = { STUDIO_DATA_DIR: path.join(root, 'data') };
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('imports a Claude Code transcript, listing every skipped line; the session is listed, exported, archived in the replica, and rebuilt from it alone', async () => {
        const imported = await runCli(['import', transcript], env);
        assert.equal(imported.code, 0, imported.stderr);
        assert.match(imported.stdout, /^Imported .*claude-code-session\.jsonl \(claude-code\): 22 events from 22 lines/);
        assert.match(imported.stdout, /session import-\S+: "Fix cart total ignoring quantities", 22 events/);
        assert.match(imported.stdout, /Skipped 4 line\(s\) that could not be imported:\n {2}line 11: not valid JSON .*\n {2}line 14: unknown entry type "telemetry-beacon"\n {2}line 17: not a JSON object\n {2}line 21: an assistant entry without message\.content/);
        assert.match(imported.stdout, /1 file-history-snapshot line\(s\): 7/);
        const id = /session (import-\S+):/.exec(imported.stdout)![1];

        const listed = await runCli(['sessions', '--json'], env);
        assert.equal(listed.code, 0, listed.stderr);
        const sessions = JSON.parse(listed.stdout) as { id: string; kind: string; eventCount: number }[];
        assert.deepEqual(sessions.map(s => [s.id, s.kind, s.eventCount]), [[id, 'import', 22]]);

        // A studio starting on this data directory keeps the imported session: the import recorded sessions.db's place in the replica.
        const status = await runCli(['status', '--workspace', path.join(root, 'ws'), '--json'], env);
        assert.ok(status.code === 0 || status.code === 1, status.stderr);
        const after = JSON.parse((await runCli(['sessions', '--json'], env)).stdout) as { id: string; kind: string }[];
        assert.deepEqual(after.map(s => s.kind).sort(), ['import', 'run']);
        assert.ok(after.some(s => s.id === id));
        assert.deepEqual(fs.readdirSync(path.join(root, 'data')).filter(f => /sessions\.db\.(corrupt|before|replaced)/.test(f)), [], 'nothing moved aside');

        const exportFile = path.join(root, 'export.jsonl');
        const exported = await runCli(['export', '--session', id, '--out', exportFile], env);
        assert.equal(exported.code, 0, exported.stderr);
        const lines = fs.readFileSync(exportFile, 'utf8').trim().split('\n').map(l => parseArchiveLine(l));
        assert.deepEqual([lines[0].t, lines.length, lines[lines.length - 1].t], ['session', 24, 'end']);

        // The archive went to the replica beside the databases; a new data directory rebuilds the timeline from it alone.
        const replica = path.join(root, 'replica');
        assert.ok(fs.existsSync(path.join(replica, 'timeline', id, 'part-000001.jsonl')));
        const fresh = { STUDIO_DATA_DIR: path.join(root, 'fresh-data'), STUDIO_REPLICA_URL: `file://${path.join(root, 'other-replica')}` };
        const rebuilt = await runCli(['timeline-rebuild', '--from-dir', path.join(root, 'data', 'timeline-archive')], fresh);
        assert.equal(rebuilt.code, 0, rebuilt.stderr + rebuilt.stdout);
        assert.match(rebuilt.stdout, new RegExp(`restored ${id}: "Fix cart total ignoring quantities", 22 events`));
        // A replica holding only the archive (no database replicas to restore sessions.db from).
        const archiveOnly = path.join(root, 'archive-only');
        fs.cpSync(path.join(replica, 'timeline'), path.join(archiveOnly, 'timeline'), { recursive: true });
        const fromReplica = await runCli(['timeline-rebuild', '--replica', `file://${archiveOnly}`, '--data-dir', path.join(root, 'third')], {});
        assert.equal(fromReplica.code, 0, fromReplica.stderr + fromReplica.stdout);
        assert.match(fromReplica.stdout, new RegExp(`restored ${id}: "Fix cart total ignoring quantities", 22 events\n`));
        assert.match(fromReplica.stdout, /restored run-\S+: "Studio run · ws", \d+ events\n2 session\(s\)/);
    });

    it('converts with --out without touching the data directory; refuses a write while a studio holds the replica lease; says what is wrong with bad input', async () => {
        const out = path.join(root, 'converted.jsonl');
        const converted = await runCli(['import', transcript, '--out', out], env);
        assert.equal(converted.code, 0, converted.stderr);
        assert.equal(fs.readFileSync(out, 'utf8').trim().split('\n').length, 24);
        assert.ok(!fs.existsSync(path.join(root, 'data', 'sessions.db')), 'nothing imported into the data directory');

        const studio = new ReplicaLease(new DirectoryObjectStore(path.join(root, 'replica')), { owner: 'studio-on-host-a', ttlMs: 30_000 });
        await studio.acquire();
        const refused = await runCli(['import', transcript], env);
        assert.equal(refused.code, 3);
        assert.match(refused.stderr, /Refusing to change the timeline .*a studio is running on it.*CODITECT: Import Agent Transcript/);
        const listed = await runCli(['sessions'], env);
        assert.equal(listed.code, 0, `reading beside a studio works: ${listed.stderr}`);
        await studio.release();

        assert.equal((await runCli(['import'], env)).code, 2);
        const format = await runCli(['import', transcript, '--format', 'chatgpt'], env);
        assert.equal(format.code, 2);
        assert.match(format.stderr, /Unknown format "chatgpt"; use claude-code or archive/);
        const missing = await runCli(['import', path.join(root, 'nope.jsonl')], env);
        assert.equal(missing.code, 1);
        assert.match(missing.stderr, /Cannot read .*nope\.jsonl/);
        const noSession = await runCli(['export', '--session', 'run-x'], env);
        assert.equal(noSession.code, 1);
        assert.match(noSession.stderr, /There is no session "run-x"/);
    });
});
