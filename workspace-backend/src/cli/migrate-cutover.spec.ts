import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { K8sTestServer } from '@coditect/k8s-test-server';
import { SignJWT } from 'jose';
import { startS3TestServer, S3TestServer } from '../migration/test-support/s3-test-server';
import { generateV1Data, s3Sink } from '../migration/v1-generator';
import { percentBucket } from './migrate-cutover';
import { runCli } from './test-support/run-cli';
import { logEventOf } from '../telemetry/logger';

const secret = 'the-cutover-test-secret-of-32-characters';
const token = (sub: string, role: 'admin' | 'developer') => new SignJWT({ sub, role }).setProtectedHeader({ alg: 'HS256' }).setAudience('coditect-studio')
    .setExpirationTime(Math.floor(Date.now() / 1000) + 600).sign(new TextEncoder().encode(secret));

/**
 * The cutover through a real fleet service (its own process, on the Kubernetes test server) and its
 * gateway, with a stand-in for the v1 application behind it: users move, a user whose verify is not
 * 100 % stays on v1, waves by percent are stable, and a rollback hands the user back to v1.
 */
describe('coditect-workspace migrate cutover and rollback --fleet', function () {
    this.timeout(180_000);
    let root: string;
    let s3: S3TestServer;
    let k8s: K8sTestServer;
    let fleet: ChildProcess;
    let fleetUrl: string;
    let v1App: http.Server;
    const v1Requests: string[] = [];
    let env: Record<string, string>;
    let bucketDir: string;

    before(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-'));
        s3 = await startS3TestServer({ buckets: ['coditect-v1'] });
        const sink = s3Sink({ url: 's3://coditect-v1', endpoint: s3.endpoint, credentials: s3.credentials });
        await generateV1Data(sink, { users: 6, seed: 5, largeLogRecords: 200 });
        sink.close();
        v1App = http.createServer((request, response) => {
            v1Requests.push(`${request.method} ${request.url}`);
            response.writeHead(200, { 'Content-Type': 'text/plain' }).end('v1 answers');
        });
        await new Promise<void>(resolve => v1App.listen(0, '127.0.0.1', resolve));
        k8s = await K8sTestServer.start({ readyDelayMs: 0 });
        bucketDir = path.join(root, 'bucket');
        fs.mkdirSync(bucketDir);
        const kubeconfig = path.join(root, 'kubeconfig');
        k8s.writeKubeconfig(kubeconfig, 'coditect');
        fleet = spawn(process.execPath, [path.join(__dirname, '..', 'fleet', 'fleet-main.js')], {
            env: {
                ...process.env, KUBECONFIG: kubeconfig, FLEET_NAMESPACE: 'coditect', FLEET_PORT: '0', FLEET_IDLE_MINUTES: '0', FLEET_BUCKET_URL: `file://${bucketDir}`,
                FLEET_BASE_URL: 'https://coditect.test/theia', FLEET_V1_URL: `http://127.0.0.1:${(v1App.address() as { port: number }).port}`,
                STUDIO_AUTH_JWT_SECRET: secret, STUDIO_AUTH_AUDIENCE: 'coditect-studio',
            },
            stdio: ['ignore', 'pipe', 'inherit'],
        });
        fleetUrl = await new Promise<string>((resolve, reject) => {
            let seen = '';
            fleet.stdout!.on('data', chunk => {
                seen += String(chunk);
                const served = logEventOf(seen, 'serving')?.url;
                if (typeof served === 'string') {
                    resolve(served);
                }
            });
            fleet.once('exit', code => reject(new Error(`the fleet exited (${code}): ${seen}`)));
        });
        env = {
            STUDIO_V1_URL: 's3://coditect-v1', STUDIO_V1_ENDPOINT: s3.endpoint, AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
            FLEET_URL: fleetUrl, FLEET_TOKEN: await token('operator', 'admin'), FLEET_BUCKET_URL: `file://${bucketDir}`,
        };
    });

    after(async () => {
        if (fleet && fleet.exitCode === null) {
            const exited = new Promise(resolve => fleet.once('exit', resolve));
            fleet.kill('SIGTERM');
            await exited;
        }
        await k8s?.stop();
        await s3?.close();
        await new Promise(resolve => v1App?.close(resolve));
        fs.rmSync(root, { recursive: true, force: true });
    });

    const staging = () => ['--staging', path.join(root, 'staging')];
    /** The person's request to the v1 front door of the gateway. */
    const v1Door = async (user: string, method = 'GET') => fetch(`${fleetUrl}/app/projects`, { method, redirect: 'manual', headers: { Authorization: `Bearer ${await token(user, 'developer')}` } });
    const routeOf = async (user: string) => {
        const answer = await fetch(`${fleetUrl}/workspaces?owner=user:${user}`, { headers: { Authorization: `Bearer ${env.FLEET_TOKEN}` } });
        return ((await answer.json()) as { workspaces: { v1User?: string; route?: string; url: string; bucketPrefix: string }[] }).workspaces.find(w => w.v1User === user);
    };

    it('moves users: the bulk copy, a freeze, the delta, verify at 100 %, the route to v2; the gateway then sends them to v2', async () => {
        assert.equal((await v1Door('u0001')).status, 200, 'before: the person is on v1');
        const run = await runCli(['migrate', 'cutover', '--user', 'u0001', '--user', 'u0002', ...staging(), '--json'], env);
        assert.equal(run.code, 0, run.stderr + run.stdout);
        const report = JSON.parse(run.stdout) as { users: { user: string; outcome: string; workspace: string; downtimeMs: number; integrityPct: number }[]; moved: number };
        assert.equal(report.moved, 2);
        for (const moved of report.users) {
            assert.equal(moved.outcome, 'moved');
            assert.equal(moved.integrityPct, 100);
            assert.ok(moved.downtimeMs > 0 && moved.downtimeMs < 60_000, `${moved.user}: writes paused ${moved.downtimeMs} ms`);
            const workspace = (await routeOf(moved.user))!;
            assert.equal(workspace.route, 'v2');
            // The workspace's replica in the fleet's bucket holds the migration: its databases, timeline archive and files.
            const replica = path.join(bucketDir, workspace.bucketPrefix);
            for (const part of ['sessions', 'metrics', 'timeline', 'files']) {
                assert.ok(fs.existsSync(path.join(replica, part)), `${moved.user}'s replica has ${part}/`);
            }
        }
        const door = await v1Door('u0001');
        assert.equal(door.status, 302);
        assert.equal(door.headers.get('location'), (await routeOf('u0001'))!.url);

        // Again: already on v2, nothing done.
        const again = await runCli(['migrate', 'cutover', '--user', 'u0001', ...staging(), '--json'], env);
        assert.equal(JSON.parse(again.stdout).users[0].outcome, 'already');
    });

    it('a user whose verify is not 100 % goes back to v1 at once, and the report says why', async () => {
        // A file already in the user's staging workspace, not the migration's: the migration keeps it, so verify differs.
        const workspace = path.join(root, 'staging', 'u0003', 'workspace');
        fs.mkdirSync(workspace, { recursive: true });
        fs.writeFileSync(path.join(workspace, 'README.md'), 'someone else\'s README\n');
        const run = await runCli(['migrate', 'cutover', '--user', 'u0003', '--allow-skips', ...staging(), '--json'], env);
        assert.equal(run.code, 1);
        const [result] = JSON.parse(run.stdout).users as { outcome: string; error: string }[];
        assert.equal(result.outcome, 'failed');
        assert.match(result.error, /verify found 1 difference\(s\) \(file README\.md: .*\); the user stays on v1/);
        assert.equal((await routeOf('u0003'))!.route, 'v1');
        const before = v1Requests.length;
        assert.equal((await v1Door('u0003', 'POST')).status, 200, 'their writes reach v1 again');
        assert.equal(v1Requests.length, before + 1);
    });

    it('while a user is moved, their writes get 503 until the route flips, and none reaches v1 after the freeze', async () => {
        const statuses: number[] = [];
        const v1Writes: number[] = [];
        let polling = true;
        const poller = (async () => {
            while (polling) {
                const answer = await v1Door('u0004', 'POST');
                statuses.push(answer.status);
                v1Writes.push(v1Requests.filter(r => r.startsWith('POST')).length);
                await new Promise(resolve => setTimeout(resolve, 10));
            }
        })();
        const run = await runCli(['migrate', 'cutover', '--user', 'u0004', ...staging(), '--json'], env);
        await new Promise(resolve => setTimeout(resolve, 200));
        polling = false;
        await poller;
        assert.equal(run.code, 0, run.stderr);
        // v1 (200), then frozen (503), then moved (409: writes go to v2 now); never back.
        const shape = statuses.map(s => (s === 200 ? 'v' : s === 503 ? 'f' : s === 409 ? 'm' : `?${s}`)).join('').replace(/(.)\1+/g, '$1');
        assert.equal(shape, 'vfm', `statuses seen: ${shape} (${statuses.length} requests); the cutover: ${run.stdout}`);
        const firstFrozen = statuses.indexOf(503);
        assert.equal(v1Writes[v1Writes.length - 1], v1Writes[firstFrozen], 'no write reached v1 after the freeze');
    });

    it('waves by percent take the same users every time, and a larger wave takes the smaller one\'s', async () => {
        const all = ['u0001', 'u0002', 'u0003', 'u0004', 'u0005', 'u0006'];
        const wave = (percent: number) => all.filter(u => percentBucket(u) < percent);
        assert.deepEqual(wave(100), all);
        assert.ok(wave(30).every(u => wave(60).includes(u)));
        const run = await runCli(['migrate', 'cutover', '--all', '--percent', '60', '--allow-skips', ...staging(), '--json'], env);
        const touched = (JSON.parse(run.stdout).users as { user: string }[]).map(u => u.user);
        assert.deepEqual(touched, wave(60));
        const refused = await runCli(['migrate', 'cutover', '--user', 'u0004', '--percent', '10', ...staging()], env);
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /--percent goes with --all/);
    });

    it('rollback through the fleet hands the user back to v1 at once; v1 was never changed', async () => {
        const rolled = await runCli(['migrate', 'rollback', '--user', 'u0002', '--fleet', fleetUrl, '--json'], env);
        assert.equal(rolled.code, 0, rolled.stderr);
        const report = JSON.parse(rolled.stdout);
        assert.equal(report.route, 'v1');
        assert.ok(report.handedBackMs < 30_000);
        assert.equal((await routeOf('u0002'))!.route, 'v1');
        assert.equal((await v1Door('u0002')).status, 200, 'the gateway sends them to v1 again');
        const unknown = await runCli(['migrate', 'rollback', '--user', 'u9999', '--fleet', fleetUrl], env);
        assert.equal(unknown.code, 1);
        assert.match(unknown.stderr, /has no v2 workspace of v1 user "u9999": they are on v1/);
        const noToken = await runCli(['migrate', 'rollback', '--user', 'u0002', '--fleet', fleetUrl], { ...env, FLEET_TOKEN: '' });
        assert.equal(noToken.code, 2);
        assert.match(noToken.stderr, /Set FLEET_TOKEN to an admin's token/);
    });
});
