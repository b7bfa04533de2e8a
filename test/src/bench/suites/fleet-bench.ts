import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { K8sTestServer, type PodReadiness, type PodRunner, type PodSnapshot, type RunningPod } from '@coditect/k8s-test-server';
import { readWorkspaceTemplate, resolveFleetConfig, WorkspaceInfo, workspaceManifests } from '@coditect/workspace-backend/fleet';
import { percentile, round } from '../bench-stats';
import type { BenchSuite } from '../bench-suite';
import { costChartSvg } from '../fleet/cost-chart';
import { BenchAuth, BenchNamespace, benchToken, startFleetProcess } from '../fleet/fleet-process';
import { DefaultScenario, monthlyCost, readFleetPrices } from '../fleet/cost-model';
import { repoRoot, studioAppDir } from '../../lib/repo-paths';
import { StudioRpcClient } from '../../lib/studio-rpc-client';
import { StudioPodRunner } from '../../fleet/studio-pod-runner';

const Namespace = BenchNamespace;
const Workspaces = 10_000;
/** The port every served pod listens on, on its own loopback address. */
const PodPort = 18_090;

/**
 * Pods of the test server: the few the bench reaches (wake, the router's requests) serve /health
 * from a small HTTP server on their own loopback address; the thousands that only fill the registry
 * are ready at once, with an address nothing listens on; one is a real studio, for the IDE's
 * reconnect. Apart from that one, what is measured is the fleet (its API, registry and router),
 * not a studio's start, which the fleet's end-to-end spec covers with real studios.
 */
class BenchPodRunner implements PodRunner {
    /** The pods of the workspaces that only fill the registry. */
    readonly unserved = new Set<string>();
    /** Set before a provision whose pod is to be a real studio. */
    nextIsStudio = false;
    protected next = 20;
    protected readonly studios: StudioPodRunner;

    constructor(volumesDir: string) {
        this.studios = new StudioPodRunner({
            appDir: studioAppDir, volumesDir, port: PodPort,
            env: { STUDIO_AUTH: 'jwt', STUDIO_AUTH_JWT_SECRET: BenchAuth.secret, STUDIO_AUTH_AUDIENCE: BenchAuth.audience, STUDIO_REPLICA_URL: 'off' },
        });
    }

    async start(pod: PodSnapshot): Promise<RunningPod> {
        if (this.nextIsStudio) {
            this.nextIsStudio = false;
            return this.studios.start(pod);
        }
        if (this.unserved.has(pod.name)) {
            return { ready: Promise.resolve({ podIP: '10.255.0.1' }), stop: async () => undefined };
        }
        const address = `127.0.${Math.floor(this.next / 250)}.${(this.next++ % 250) + 2}`;
        const server = http.createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ready"}'));
        const ready = new Promise<PodReadiness>((resolve, reject) => {
            server.once('error', reject);
            server.listen(PodPort, address, () => resolve({ podIP: address, port: PodPort }));
        });
        return {
            ready,
            stop: async () => {
                server.closeAllConnections();
                await new Promise(resolve => server.close(resolve));
            },
        };
    }
}

/** The i-th filler workspace's id: i in base 32, in the ids' alphabet (a bijection, so no two collide). */
function seedId(i: number): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    return `ws-${i.toString(32).padStart(10, '0').split('').map(digit => alphabet[parseInt(digit, 32)]).join('')}`;
}


async function timed(run: () => Promise<unknown>): Promise<number> {
    const started = performance.now();
    await run();
    return performance.now() - started;
}

async function inParallel<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
    const pending = [...items];
    await Promise.all(Array.from({ length: concurrency }, async () => {
        for (let item = pending.shift(); item !== undefined; item = pending.shift()) {
            await run(item);
        }
    }));
}

function rssMb(pid: number): number {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function costFigures(log: (message: string) => void): Record<string, number | string> {
    const prices = readFleetPrices();
    const at = (users: number, autoSleep: boolean, scenario = DefaultScenario) => monthlyCost(prices, scenario, users, autoSleep);
    const thousand = at(1000, true);
    const thousandAlwaysOn = at(1000, false);
    const tenThousand = at(10_000, true);
    const spot = at(1000, true, { ...DefaultScenario, capacity: 'spot' });
    const leaner = at(1000, true, { ...DefaultScenario, vcpu: 0.5, volumeClass: 'pdBalanced' });
    const svg = costChartSvg([
        { label: '1,000 users, always on', cost: thousandAlwaysOn },
        { label: '1,000 users, auto-sleep', cost: thousand },
        { label: '10,000 users, auto-sleep', cost: tenThousand },
        { label: '1,000, auto-sleep, Spot pods', cost: spot },
        { label: '1,000, auto-sleep, 0.5 vCPU, balanced PD', cost: leaner },
    ], 7, `Cost per user and month (prices of ${prices.pricesAsOf})`);
    fs.writeFileSync(path.join(repoRoot, 'docs', 'fleet-cost.svg'), svg);
    log(`cost model: ${thousand.awakeHoursPerUser.toFixed(0)} awake hours a month with auto-sleep; docs/fleet-cost.svg written`);
    return {
        cost_per_user_month_usd: round(thousand.perUser, 2),
        cost_per_user_month_usd_10k: round(tenThousand.perUser, 2),
        cost_per_user_month_usd_always_on: round(thousandAlwaysOn.perUser, 2),
        cost_per_user_month_usd_spot: round(spot.perUser, 2),
        cost_per_user_month_usd_half_vcpu: round(leaner.perUser, 2),
        cost_goal_missed_by_usd: round(Math.max(0, thousand.perUser - 7), 2),
        autosleep_saving_pct: round((1 - thousand.total / thousandAlwaysOn.total) * 100, 1),
        awake_hours_per_user_month: round(thousand.awakeHoursPerUser, 1),
        prices_as_of: prices.pricesAsOf,
    };
}

export const fleetBench: BenchSuite = {
    description: 'The fleet service on the Kubernetes test server: provision, list at 10,000 workspaces, wake and reconnect through its router, its memory; and the cost model for 1,000 and 10,000 users',
    async run(log) {
        const costs = costFigures(log);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-bench-'));
        const runner = new BenchPodRunner(path.join(dir, 'volumes'));
        const server = await K8sTestServer.start({ podRunner: runner, readyDelayMs: 0 });
        const fleet = await startFleetProcess(server, dir, { FLEET_WORKSPACE_URL: `http://{podIP}:${PodPort}` });
        try {
            const admin = `Bearer ${await benchToken('bench-admin', 'admin')}`;
            const api = async (method: string, route: string, auth = admin): Promise<{ status: number; body: unknown }> => {
                const response = await fetch(`${fleet.url}${route}`, { method, headers: { Authorization: auth, 'Content-Type': 'application/json' }, ...(method === 'POST' && route.endsWith('provision') ? { body: '{}' } : {}) });
                return { status: response.status, body: await response.json().catch(() => undefined) };
            };

            // Provision through the API (answered once the pod is ready), four at a time.
            const provisionMs: number[] = [];
            const served: WorkspaceInfo[] = [];
            const owners = Array.from({ length: 40 }, (_, i) => `bench-${i}`);
            await inParallel(owners, 4, async owner => {
                const auth = `Bearer ${await benchToken(owner, 'developer')}`;
                let answer: { status: number; body: unknown } | undefined;
                provisionMs.push(await timed(async () => answer = await api('POST', '/workspaces/provision', auth)));
                if (answer!.status !== 201) {
                    throw new Error(`provision answered ${answer!.status}: ${JSON.stringify(answer!.body)}`);
                }
                served.push(answer!.body as WorkspaceInfo);
            });
            log(`provisioned ${provisionMs.length} workspaces: p99 ${percentile(provisionMs, 99).toFixed(0)} ms`);

            // Fill the registry to 10,000: StatefulSets made as the fleet makes them, straight on the API server,
            // with fetch over the server's plain HTTP address: one pool of kept-alive connections. (The
            // Kubernetes client opens a connection per request, and the server keeps each open a while:
            // 10,000 of them run out of files.)
            const createStatefulSet = async (body: object): Promise<void> => {
                const response = await fetch(`${server.url}/apis/apps/v1/namespaces/${Namespace}/statefulsets`, {
                    method: 'POST', headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
                });
                if (response.status !== 201) {
                    throw Object.assign(new Error(`the API server answered ${response.status}: ${await response.text()}`), { code: response.status });
                }
            };
            const config = resolveFleetConfig({});
            const template = readWorkspaceTemplate(path.join(config.templateDir, 'statefulset.yaml'), path.join(config.templateDir, 'service.yaml'));
            const seeded = Array.from({ length: Workspaces - served.length }, (_, i) => i);
            const seedStarted = performance.now();
            await inParallel(seeded, 16, async i => {
                const id = seedId(i);
                runner.unserved.add(`${id}-0`);
                const { statefulSet } = workspaceManifests(template, { id, owner: `user:seed-${i % 2000}`, size: 'small', bucket: 'b', bucketPrefix: `workspaces/${id}` });
                // A connection the loaded machine drops is tried again; a refusal of the API server is not.
                for (let attempt = 1; ; attempt++) {
                    try {
                        await createStatefulSet(statefulSet);
                        break;
                    } catch (error) {
                        const cause = (error as { cause?: { code?: string } }).cause;
                        if (attempt >= 3 || (error as { code?: number }).code !== undefined) {
                            throw new Error(`seeding ${id} failed: ${(error as Error).message}${cause ? ` (${cause.code ?? String(cause)})` : ''}`, { cause: error });
                        }
                        log(`seeding ${id}: ${(error as Error).message} (${cause?.code ?? ''}); trying again`);
                    }
                }
            });
            log(`seeded ${seeded.length} more StatefulSets in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);
            for (let listed = 0; listed < Workspaces; await new Promise(r => setTimeout(r, 500))) {
                listed = ((await api('GET', '/workspaces')).body as { workspaces: unknown[] }).workspaces.length;
            }

            // Lists at 10,000: a person's own (what the IDE asks), and an admin's whole fleet.
            const ownListMs: number[] = [];
            const ownerAuth = `Bearer ${await benchToken('bench-1', 'developer')}`;
            for (let i = 0; i < 200; i++) {
                ownListMs.push(await timed(() => api('GET', '/workspaces', ownerAuth)));
            }
            const allListMs: number[] = [];
            for (let i = 0; i < 20; i++) {
                allListMs.push(await timed(() => api('GET', '/workspaces')));
            }
            const rss = rssMb(fleet.pid);
            log(`lists at 10,000: own p99 ${percentile(ownListMs, 99).toFixed(1)} ms, all p99 ${percentile(allListMs, 99).toFixed(0)} ms; fleet RSS ${rss.toFixed(0)} MB`);

            // The router alone: a small request to an awake workspace through it, against the same request straight to its pod.
            const target = served[0];
            const routedMs: number[] = [];
            const directMs: number[] = [];
            const owner0 = `Bearer ${await benchToken(target.owner.slice('user:'.length), 'developer')}`;
            for (let i = 0; i < 200; i++) {
                routedMs.push(await timed(async () => (await fetch(`${fleet.url}/theia/${target.id}/health`, { headers: { Authorization: owner0 } })).arrayBuffer()));
                directMs.push(await timed(async () => (await fetch(`http://${target.podIP}:${PodPort}/health`)).arrayBuffer()));
            }

            // Wake: stop a workspace, then time its owner's request through the router until the woken pod answers it.
            const wakeMs: number[] = [];
            for (const workspace of served.slice(0, 20)) {
                const auth = `Bearer ${await benchToken(workspace.owner.slice('user:'.length), 'developer')}`;
                const stopped = await api('POST', `/workspaces/${workspace.id}/stop`, auth);
                if (stopped.status !== 200) {
                    throw new Error(`stop answered ${stopped.status}`);
                }
                let status = 0;
                wakeMs.push(await timed(async () => status = (await fetch(`${fleet.url}/theia/${workspace.id}/health`, { headers: { Authorization: auth } })).status));
                if (status !== 200) {
                    throw new Error(`the woken workspace answered ${status}`);
                }
            }
            log(`wake p99 ${percentile(wakeMs, 99).toFixed(0)} ms; a request through the router p99 ${percentile(routedMs, 99).toFixed(1)} ms (direct ${percentile(directMs, 99).toFixed(1)} ms)`);

            // Reconnect to an awake workspace whose pod is a real studio: what the IDE does when a tab comes
            // back (its page's /login, then socket.io's websocket upgrade and the studio's first answer),
            // through the router, against the same straight to the pod.
            runner.nextIsStudio = true;
            const studioOwner = `Bearer ${await benchToken('bench-studio', 'developer')}`;
            const provisioned = await api('POST', '/workspaces/provision', studioOwner);
            if (provisioned.status !== 201) {
                throw new Error(`the studio's workspace answered ${provisioned.status}: ${JSON.stringify(provisioned.body)}`);
            }
            const studio = provisioned.body as WorkspaceInfo;
            const reconnectMs: number[] = [];
            const reconnectDirectMs: number[] = [];
            const reconnect = (url: string) => timed(async () => (await StudioRpcClient.connect(url, { headers: { Authorization: studioOwner } })).close());
            for (let i = 0; i < 40; i++) {
                reconnectMs.push(await reconnect(`${fleet.url}/theia/${studio.id}`));
                reconnectDirectMs.push(await reconnect(`http://${studio.podIP}:${PodPort}`));
            }
            log(`the IDE's reconnect to a real studio: p99 ${percentile(reconnectMs, 99).toFixed(0)} ms through the router, ${percentile(reconnectDirectMs, 99).toFixed(0)} ms straight to its pod`);

            return {
                provision_p99_ms: round(percentile(provisionMs, 99), 1),
                wake_p99_ms: round(percentile(wakeMs, 99), 1),
                reconnect_p99_ms: round(percentile(reconnectMs, 99), 1),
                reconnect_direct_p99_ms: round(percentile(reconnectDirectMs, 99), 1),
                reconnect_router_overhead_ratio: round(percentile(reconnectMs, 50) / percentile(reconnectDirectMs, 50), 2),
                router_request_p99_ms: round(percentile(routedMs, 99), 2),
                router_request_direct_p99_ms: round(percentile(directMs, 99), 2),
                list_p99_ms_10k: round(percentile(ownListMs, 99), 2),
                list_all_p99_ms_10k: round(percentile(allListMs, 99), 1),
                fleet_rss_mb_10k: round(rss, 1),
                ...costs,
            };
        } finally {
            await fleet.stop();
            await server.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    },
};
