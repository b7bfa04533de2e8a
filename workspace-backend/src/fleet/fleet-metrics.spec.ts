import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { K8sTestServer } from '@coditect/k8s-test-server';
import { FleetConfigError, resolveFleetConfig } from './fleet-config';
import { apiRouteOf } from './fleet-metrics';
import { fleetTokenOf, startTestFleet, TestFleet } from './fleet-test-support';

const namespace = 'metrics';
const scrapeToken = 'the-fleet-scrape-token-0123456789abcdef';

/** One sample of the Prometheus text: its metric name, labels and value. */
interface Sample {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly value: number;
}

/** The text exposition's samples; every line is a comment (`# HELP`, `# TYPE`) or a well-formed sample, else it throws. */
function parseExposition(text: string): Sample[] {
    const samples: Sample[] = [];
    for (const line of text.split('\n')) {
        if (line === '' || /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) {
            continue;
        }
        const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
        assert.ok(match, `not a sample line: ${line}`);
        const labels: Record<string, string> = {};
        const labelText = match[2] ?? '';
        const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;
        let parsed = 0;
        for (let pair = labelPattern.exec(labelText); pair; pair = labelPattern.exec(labelText)) {
            labels[pair[1]] = pair[2];
            parsed = labelPattern.lastIndex;
        }
        assert.equal(parsed, labelText.length, `labels not parsed: ${line}`);
        const value = Number(match[3] === '+Inf' ? Infinity : match[3]);
        assert.ok(!Number.isNaN(value), `not a number: ${line}`);
        samples.push({ name: match[1], labels, value });
    }
    return samples;
}

/** The sum of the samples of `name` whose labels include `labels`; undefined when there is none. */
function valueOf(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
    const matching = samples.filter(s => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value));
    return matching.length === 0 ? undefined : matching.reduce((sum, s) => sum + s.value, 0);
}

describe('the fleet\'s own metrics on GET /metrics: for Prometheus\' scrape token or an admin, workspaces, provisions, sleeps and wakes', function () {
    this.timeout(60_000);
    let server: K8sTestServer;
    let testFleet: TestFleet;
    /** Stands for every workspace's studio: its /health reports it idle for long, anything else is answered 200. */
    let studio: http.Server;
    let ada: string;
    let bob: string;
    let admin: string;
    const ids: string[] = [];

    async function metrics(authorization: string | undefined, method = 'GET'): Promise<{ status: number; contentType: string; text: string }> {
        const response = await fetch(`${testFleet.fleet.url}/metrics`, { method, headers: authorization ? { Authorization: authorization } : {} });
        return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
    }

    /** The samples of a scrape with the scrape token; no label value ever names a workspace. */
    async function scrape(): Promise<Sample[]> {
        const answer = await metrics(`Bearer ${scrapeToken}`);
        assert.equal(answer.status, 200, answer.text);
        const samples = parseExposition(answer.text);
        for (const sample of samples) {
            for (const value of Object.values(sample.labels)) {
                assert.ok(!/ws-[a-z2-7]{10}/.test(value) && !ids.some(id => value.includes(id)), `${sample.name} has a workspace id as a label value: ${value}`);
                assert.ok(!value.includes('user:'), `${sample.name} has an owner as a label value: ${value}`);
            }
        }
        return samples;
    }

    /** Scrapes until `check` holds for the samples (what is recorded after an answer lands a moment later), at most 20 s. */
    async function scrapeUntil(what: string, check: (samples: Sample[]) => boolean): Promise<Sample[]> {
        for (const deadline = Date.now() + 20_000; ;) {
            const samples = await scrape();
            if (check(samples)) {
                return samples;
            }
            assert.ok(Date.now() < deadline, `${what}; the metrics: ${JSON.stringify(samples.filter(s => s.name.startsWith('coditect_fleet_')))}`);
            await new Promise(resolve => setTimeout(resolve, 50));
        }
    }

    before(async () => {
        studio = http.createServer((request, response) => {
            const body = request.url === '/health' ? { activity: { connections: 0, idleSince: '2000-01-01T00:00:00.000Z' } } : { from: 'studio', url: request.url };
            response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
        });
        studio.listen(0, '127.0.0.1');
        await once(studio, 'listening');
        server = await K8sTestServer.start({ readyDelayMs: 50 });
        testFleet = await startTestFleet(server, namespace, {
            STUDIO_METRICS_TOKEN: scrapeToken, FLEET_WORKSPACE_URL: `http://127.0.0.1:${(studio.address() as AddressInfo).port}`,
            // Sweeps are the spec's own (an hour apart on their own); a small warm pool.
            FLEET_IDLE_MINUTES: '1', FLEET_SWEEP_INTERVAL_S: '3600', FLEET_WARM_POOL: '1', FLEET_WARM_POOL_SIZE: 'small',
        });
        [ada, bob, admin] = await Promise.all([fleetTokenOf('ada', 'developer'), fleetTokenOf('bob', 'developer'), fleetTokenOf('root', 'admin')]);
    });
    after(async () => {
        await testFleet?.stop();
        await server?.stop();
        studio?.closeAllConnections();
        await new Promise(resolve => studio ? studio.close(resolve) : resolve(undefined));
    });

    it('answers the Prometheus text for the scrape token or an admin\'s token, and refuses anyone else saying what to send', async () => {
        const anonymous = await metrics(undefined);
        assert.equal(anonymous.status, 401);
        assert.match(anonymous.contentType, /^application\/json/);
        assert.equal(JSON.parse(anonymous.text).error, 'Send Prometheus\' scrape token as "Authorization: Bearer <STUDIO_METRICS_TOKEN>", or an admin\'s token, to read /metrics.');
        const wrong = await metrics(`Bearer ${scrapeToken.replace(/.$/, 'X')}`);
        assert.equal(wrong.status, 401);
        assert.match(JSON.parse(wrong.text).error, /^The token was refused: .*; \/metrics takes Prometheus' scrape token as "Authorization: Bearer <STUDIO_METRICS_TOKEN>", or an admin's token\.$/);
        assert.equal((await metrics(`Basic ${Buffer.from(`prometheus:${scrapeToken}`).toString('base64')}`)).status, 401, 'only as a bearer token');
        const developer = await metrics(`Bearer ${ada}`);
        assert.deepEqual([developer.status, JSON.parse(developer.text).error],
            [403, 'Only an admin or Prometheus may read /metrics: send Prometheus\' scrape token as "Authorization: Bearer <STUDIO_METRICS_TOKEN>", or an admin\'s token.']);
        assert.equal((await metrics(`Bearer ${scrapeToken}`, 'POST')).status, 405);

        const byAdmin = await metrics(`Bearer ${admin}`);
        assert.equal(byAdmin.status, 200, byAdmin.text);
        const byPrometheus = await metrics(`Bearer ${scrapeToken}`);
        assert.equal(byPrometheus.status, 200, byPrometheus.text);
        assert.match(byPrometheus.contentType, /^text\/plain; version=0\.0\.4/);
        const samples = parseExposition(byPrometheus.text);
        for (const name of ['coditect_fleet_workspaces', 'coditect_fleet_warm_workspaces', 'coditect_fleet_provision_duration_seconds',
            'coditect_fleet_wake_duration_seconds', 'coditect_fleet_wakes_in_progress', 'coditect_fleet_wake_oldest_seconds',
            'coditect_fleet_auto_sleeps_total', 'coditect_fleet_api_requests_total']) {
            assert.match(byPrometheus.text, new RegExp(`^# TYPE ${name} (gauge|counter|histogram)$`, 'm'), name);
        }
        // Every state has its series, 0 while no workspace is in it.
        assert.deepEqual(samples.filter(s => s.name === 'coditect_fleet_workspaces').map(s => [s.labels.state, s.value]),
            [['starting', 0], ['ready', 0], ['stopping', 0], ['stopped', 0], ['failed', 0], ['deleting', 0]]);
        assert.deepEqual([valueOf(samples, 'coditect_fleet_wakes_in_progress'), valueOf(samples, 'coditect_fleet_wake_oldest_seconds'), valueOf(samples, 'coditect_fleet_auto_sleeps_total')], [0, 0, 0]);
        assert.equal(valueOf(samples, 'coditect_fleet_api_requests_total', { method: 'GET', route: '/metrics', code: '401' }), 3);
        assert.equal(valueOf(samples, 'coditect_fleet_api_requests_total', { method: 'GET', route: '/metrics', code: '403' }), 1);
    });

    it('counts the workspaces by state and times provisions, new and from the warm pool (which has its own gauge)', async () => {
        const large = await testFleet.call('POST', '/workspaces/provision', ada, { size: 'large' });
        assert.deepEqual([large.status, large.body.state], [201, 'ready'], JSON.stringify(large.body));
        ids.push(large.body.id);
        // The request's count lands once its answer is sent: a moment after the client may have read it.
        let samples = await scrapeUntil('the provision is counted', s => valueOf(s, 'coditect_fleet_api_requests_total', { route: '/workspaces/provision' }) === 1);
        assert.equal(valueOf(samples, 'coditect_fleet_workspaces', { state: 'ready' }), 1);
        assert.equal(valueOf(samples, 'coditect_fleet_provision_duration_seconds_count'), 1);
        assert.equal(valueOf(samples, 'coditect_fleet_provision_duration_seconds_count', { outcome: 'ready', source: 'new' }), 1);
        assert.ok(valueOf(samples, 'coditect_fleet_provision_duration_seconds_sum')! > 0);
        assert.equal(valueOf(samples, 'coditect_fleet_api_requests_total', { method: 'POST', route: '/workspaces/provision', code: '201' }), 1);

        await scrapeUntil('the warm pool has a ready workspace', s => valueOf(s, 'coditect_fleet_warm_workspaces') === 1);
        const small = await testFleet.call('POST', '/workspaces/provision', bob, { size: 'small' });
        assert.deepEqual([small.status, small.body.state], [201, 'ready'], JSON.stringify(small.body));
        ids.push(small.body.id);
        samples = await scrape();
        assert.equal(valueOf(samples, 'coditect_fleet_workspaces', { state: 'ready' }), 2, 'the claimed one counts, the pool\'s next one does not');
        assert.equal(valueOf(samples, 'coditect_fleet_provision_duration_seconds_count', { outcome: 'ready', source: 'warm' }), 1);
        assert.equal(valueOf(samples, 'coditect_fleet_provision_duration_seconds_count'), 2);
        const read = await testFleet.call('GET', `/workspaces/${small.body.id}`, bob);
        assert.equal(read.status, 200);
        await scrapeUntil('the read is counted', s => valueOf(s, 'coditect_fleet_api_requests_total', { method: 'GET', route: '/workspaces/:id', code: '200' }) === 1);
    });

    it('counts the workspaces the sweeper puts to sleep, and times a wake through the router until none is in progress', async () => {
        const asleep = await testFleet.fleet.sweeper!.sweep();
        assert.deepEqual(asleep, [...ids].sort());
        let samples = await scrape();
        assert.equal(valueOf(samples, 'coditect_fleet_auto_sleeps_total'), 2);
        assert.deepEqual([valueOf(samples, 'coditect_fleet_workspaces', { state: 'stopped' }), valueOf(samples, 'coditect_fleet_workspaces', { state: 'ready' })], [2, 0]);

        // Ada's request to her sleeping workspace: held while it wakes, then her studio answers.
        const [id] = ids;
        const response = await fetch(`${testFleet.fleet.url}/theia/${id}/projects`, { headers: { Authorization: `Bearer ${ada}` } });
        assert.deepEqual([response.status, (await response.json() as { from: string }).from], [200, 'studio']);
        samples = await scrapeUntil('the wake has ended', s => valueOf(s, 'coditect_fleet_wake_duration_seconds_count') === 1);
        assert.equal(valueOf(samples, 'coditect_fleet_wake_duration_seconds_count', { outcome: 'ready' }), 1);
        assert.ok(valueOf(samples, 'coditect_fleet_wake_duration_seconds_sum')! > 0);
        assert.deepEqual([valueOf(samples, 'coditect_fleet_wakes_in_progress'), valueOf(samples, 'coditect_fleet_wake_oldest_seconds')], [0, 0]);
        assert.deepEqual([valueOf(samples, 'coditect_fleet_workspaces', { state: 'stopped' }), valueOf(samples, 'coditect_fleet_workspaces', { state: 'ready' })], [1, 1]);
        // The router's requests are the workspaces', not the API's.
        assert.equal(samples.some(s => s.name === 'coditect_fleet_api_requests_total' && s.labels.route === 'other'), false);
    });

    it('keeps the route label a bounded template, and refuses to start with a scrape token too short to be a secret', () => {
        assert.deepEqual(['/workspaces', '/workspaces/provision', '/workspaces/ws-abcdefgh23', '/workspaces/ws-abcdefgh23/stop', '/workspaces/ws-abcdefgh23/route',
            '/workspaces/ws-abcdefgh23/other', '/workspaces/a/b/c', '/nodes', '/metrics', '/healthz'].map(apiRouteOf),
        ['/workspaces', '/workspaces/provision', '/workspaces/:id', '/workspaces/:id/stop', '/workspaces/:id/route', 'other', 'other', 'other', '/metrics', '/healthz']);
        assert.throws(() => resolveFleetConfig({ STUDIO_METRICS_TOKEN: 'too-short' }),
            (error: Error) => error instanceof FleetConfigError && /^STUDIO_METRICS_TOKEN has 9 characters; use a random token of at least 16/.test(error.message));
        assert.equal(resolveFleetConfig({}).metricsToken, undefined);
        assert.equal(resolveFleetConfig({ STUDIO_METRICS_TOKEN: scrapeToken }).metricsToken, scrapeToken);
    });
});
