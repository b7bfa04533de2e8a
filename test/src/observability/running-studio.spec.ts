import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGENT_CHAT_PATH, AgentChatService } from '@coditect/agent-chat/common';
import { SpanAttribute } from '@coditect/workspace-backend';
import { OtlpReceiver, parsePrometheusText, sampleValue, waitForValue } from '@coditect/workspace-backend/test-support';
import { studioAppDir, testResultsDir } from '../lib/repo-paths';
import { launchStudio, StudioProcess } from '../lib/studio-process';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { AUDIENCE, bearer, JWT_SECRET, token, waitForCore } from '../security/security-fixture';

const PROMETHEUS = '/usr/bin/prometheus';

async function freePort(): Promise<number> {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise(resolve => server.close(resolve));
    return port;
}

/**
 * Debian's Prometheus server scraping a running studio as production's would: the scrape token as
 * its bearer token (from a file, as a Kubernetes Secret is mounted), every second.
 */
async function startPrometheus(root: string, target: string, scrapeToken: string): Promise<{ url: string; process: ChildProcess; stop(): Promise<void> }> {
    if (!fs.existsSync(PROMETHEUS)) {
        throw new Error(`${PROMETHEUS} is missing: install Debian's prometheus package (apt-get install prometheus; the README's test command does).`);
    }
    const tokenFile = path.join(root, 'scrape-token');
    fs.writeFileSync(tokenFile, scrapeToken, { mode: 0o600 });
    const config = path.join(root, 'prometheus.yml');
    fs.writeFileSync(config, [
        'global:', '  scrape_interval: 1s', '  scrape_timeout: 1s',
        'scrape_configs:', '  - job_name: coditect-workspace', '    metrics_path: /metrics',
        '    authorization:', '      type: Bearer', `      credentials_file: ${tokenFile}`,
        '    static_configs:', `      - targets: ['${target}']`, '',
    ].join('\n'));
    const port = await freePort();
    fs.mkdirSync(path.join(testResultsDir, 'logs'), { recursive: true });
    const log = fs.openSync(path.join(testResultsDir, 'logs', 'prometheus.log'), 'w');
    const child = spawn(PROMETHEUS, [
        `--config.file=${config}`, `--storage.tsdb.path=${path.join(root, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`,
    ], { stdio: ['ignore', log, log] });
    const url = `http://127.0.0.1:${port}`;
    await waitForValue('Prometheus to be ready', async () => {
        assert.equal(child.exitCode, null, 'Prometheus exited; see test-results/logs/prometheus.log');
        return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok;
    }, 60_000, 200);
    return {
        url, process: child,
        stop: async () => {
            if (child.exitCode === null) {
                const exited = new Promise(resolve => child.once('exit', resolve));
                child.kill('SIGTERM');
                await exited;
            }
            fs.closeSync(log);
        },
    };
}

/** One instant query through Prometheus's HTTP API: the value of its one series, if any. */
async function queryOne(prometheusUrl: string, promql: string): Promise<number | undefined> {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = await response.json() as { status: string; data: { result: { value: [number, string] }[] } };
    assert.equal(body.status, 'success', JSON.stringify(body));
    return body.data.result.length === 1 ? Number(body.data.result[0].value[1]) : undefined;
}

describe('A running studio\'s metrics and traces', function () {
    this.timeout(240_000);
    const scrapeToken = crypto.randomBytes(24).toString('hex');
    let root: string;
    let studio: StudioProcess;
    let prometheus: Awaited<ReturnType<typeof startPrometheus>> | undefined;
    let admin: Record<string, string>;
    const receiver = new OtlpReceiver();

    before(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-observability-'));
        const otlp = await receiver.start();
        fs.mkdirSync(path.join(root, 'ws'));
        studio = await launchStudio({
            appDir: studioAppDir, workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data'), logName: 'studio-observability',
            env: {
                STUDIO_AUTH: 'jwt', STUDIO_AUTH_JWT_SECRET: JWT_SECRET, STUDIO_AUTH_AUDIENCE: AUDIENCE, STUDIO_METRICS_TOKEN: scrapeToken,
                OTEL_EXPORTER_OTLP_ENDPOINT: otlp, OTEL_SERVICE_NAME: 'coditect-studio-under-test',
            },
            agentScript: { agents: { claude: [{ text: 'Looked.', toolCalls: [{ name: 'list_files', arguments: { path: '.' } }] }, { toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }] }] } },
        });
        admin = bearer(await token({ role: 'admin', sub: 'ada' }));
        await waitForCore(studio, admin);
    });
    after(async () => {
        await prometheus?.stop();
        await studio?.stop();
        await receiver.stop();
        fs.rmSync(root, { recursive: true, force: true });
    });

    const scrape = (headers: Record<string, string>) => fetch(`${studio.url}/metrics`, { headers });

    it('serves /metrics to the scrape token and to admins only, saying what to send', async () => {
        const none = await scrape({});
        assert.equal(none.status, 401);
        const wrong = await scrape({ Authorization: `Bearer ${scrapeToken.slice(1)}x` });
        assert.equal(wrong.status, 401, 'a wrong scrape token is a failed sign-in, not a scrape');
        const developer = await scrape(bearer(await token({ role: 'developer', sub: 'dev' })));
        assert.equal(developer.status, 403);
        assert.match((await developer.json() as { error: string }).error, /STUDIO_METRICS_TOKEN.*admin role/);
        for (const headers of [{ Authorization: `Bearer ${scrapeToken}` }, admin]) {
            const answer = await scrape(headers);
            assert.equal(answer.status, 200);
            assert.match(answer.headers.get('content-type') ?? '', /^text\/plain;.*\bversion=0\.0\.4/);
            const samples = parsePrometheusText(await answer.text());
            assert.ok(sampleValue(samples, 'process_resident_memory_bytes')! > 0, 'the process\'s own metrics');
            assert.equal(sampleValue(samples, 'coditect_workspace_ready'), 1);
            assert.ok(sampleValue(samples, 'coditect_http_requests_total', { method: 'GET', route: '/metrics', code: '4xx' })! >= 2, 'the refusals were counted');
        }
    });

    it('lets Prometheus read an agent task\'s metrics back through its HTTP API after the task ran', async () => {
        const submitted = await fetch(`${studio.url}/coditect/api/tasks`, {
            method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: JSON.stringify({ agent: 'claude', prompt: 'look around' }),
        });
        assert.equal(submitted.status, 201, await submitted.clone().text());
        const task = await submitted.json() as { id: number };
        await waitForValue('the task to finish', async () => {
            const { tasks } = await (await fetch(`${studio.url}/coditect/api/tasks?agent=claude`, { headers: admin })).json() as { tasks: { id: number; status: string }[] };
            return tasks.find(t => t.id === task.id)?.status === 'done';
        }, 60_000, 200);

        prometheus = await startPrometheus(root, new URL(studio.url).host, scrapeToken);
        const completed = await waitForValue('Prometheus to have scraped the finished task', async () =>
            await queryOne(prometheus!.url, 'coditect_agent_tasks_completed_total{job="coditect-workspace",agent="claude"}') === 1 ? 1 : undefined, 60_000, 500);
        assert.equal(completed, 1);
        assert.equal(await queryOne(prometheus.url, 'up{job="coditect-workspace"}'), 1, 'the target is up: the bearer token was accepted');
        assert.equal(await queryOne(prometheus.url, 'sum(coditect_provider_requests_total{vendor="anthropic"})'), 2, 'two model turns');
        assert.ok((await queryOne(prometheus.url, 'sum(coditect_sqlite_write_duration_seconds_count{database="tasks"})'))! >= 2);
    });

    it('exports one trace per chat message: the message, the agent\'s task, its model requests and its tool', async () => {
        const client = await StudioRpcClient.connect(studio.url, { headers: admin });
        try {
            const chat = await client.service<AgentChatService>(AGENT_CHAT_PATH);
            const { taskId } = await chat.send('claude', 'observability-session', 'look around the workspace');
            const trace = await waitForValue('the message\'s trace exported', () => {
                const task = receiver.spans.find(s => s.name === 'task' && s.attributes[SpanAttribute.taskId] === taskId);
                const spans = task ? receiver.spans.filter(s => s.traceId === task.traceId) : [];
                return spans.filter(s => s.name === 'provider.request').length === 2 && spans.some(s => s.name === 'tool list_files') ? spans : undefined;
            }, 60_000, 250);
            const root = trace.find(s => s.name === 'chat.message');
            assert.ok(root && root.parentSpanId === undefined, `the message is the root: ${trace.map(s => s.name).join(', ')}`);
            assert.equal(root.serviceName, 'coditect-studio-under-test');
            const task = trace.find(s => s.name === 'task')!;
            assert.equal(task.parentSpanId, root.spanId);
            assert.ok(trace.filter(s => s.name === 'provider.request' || s.name === 'tool list_files').every(s => s.parentSpanId === task.spanId));
        } finally {
            client.close();
        }
    });
});
