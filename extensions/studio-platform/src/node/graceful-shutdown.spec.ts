import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shutdownTimeoutMs } from './graceful-shutdown';

/**
 * A real process receives real signals: it installs a handler the way Theia's BackendApplication
 * does (exit at once), then the contribution, whose core takes `stopMs` to stop.
 */
function child(options: { stopMs: number; problems?: string[]; timeoutMs?: number }): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graceful-shutdown-'));
    const file = path.join(dir, 'child.js');
    fs.writeFileSync(file, `
require(${JSON.stringify(require.resolve('reflect-metadata'))});
const { Container } = require(${JSON.stringify(require.resolve('@theia/core/shared/inversify'))});
const { ILogger } = require(${JSON.stringify(require.resolve('@theia/core/lib/common/logger'))});
const { MockLogger } = require(${JSON.stringify(require.resolve('@theia/core/lib/common/test/mock-logger'))});
const { GracefulShutdown } = require(${JSON.stringify(path.join(__dirname, 'graceful-shutdown.js'))});
const { WorkspaceCoreHostImpl } = require(${JSON.stringify(path.join(__dirname, 'workspace-core-host.js'))});
process.on('SIGTERM', () => { console.log('theia handler'); process.exit(1); });
const container = new Container();
container.bind(WorkspaceCoreHostImpl).toConstantValue({
    stop: () => new Promise(resolve => setTimeout(() => { console.log('core stopped'); resolve(${JSON.stringify(options.problems ?? [])}); }, ${options.stopMs})),
});
container.bind(ILogger).toConstantValue(new MockLogger()).whenTargetNamed('coditect:shutdown');
container.bind(GracefulShutdown).toSelf();
container.get(GracefulShutdown).initialize();
console.log('ready');
setInterval(() => undefined, 1000);
`);
    return file;
}

async function run(file: string, env: NodeJS.ProcessEnv, signals: number): Promise<{ stdout: string[]; stderr: string; code: number | null; ms: number }> {
    const proc = spawn(process.execPath, [file], { env: { ...process.env, ...env }, cwd: __dirname, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: string[] = [];
    let stderr = '';
    proc.stderr.on('data', chunk => stderr += chunk);
    await new Promise<void>((resolve, reject) => {
        proc.stdout.on('data', chunk => {
            for (const line of String(chunk).split('\n').filter(Boolean)) {
                stdout.push(line);
                if (line === 'ready') {
                    resolve();
                }
            }
        });
        proc.once('exit', code => reject(new Error(`the child exited (${code}) before it was ready: ${stderr}`)));
    });
    const started = Date.now();
    const exited = new Promise<number | null>(resolve => proc.once('exit', resolve));
    for (let i = 0; i < signals; i++) {
        proc.kill('SIGTERM');
        await new Promise(r => setTimeout(r, 50));
    }
    const code = await exited;
    return { stdout, stderr, code, ms: Date.now() - started };
}

describe('GracefulShutdown', function () {
    this.timeout(20_000);

    it('stops the workspace core before Theia\'s own SIGTERM handler runs, and says the final sync is done', async () => {
        const result = await run(child({ stopMs: 1500 }), {}, 1);
        assert.deepEqual(result.stdout, ['ready', 'core stopped', 'theia handler']);
        assert.equal(result.code, 1, 'Theia\'s handler decides the exit');
        assert.ok(result.ms >= 1500, `waited for the core (${result.ms} ms)`);
        assert.match(result.stderr, /\[shutdown\] SIGTERM: stopping the workspace core .* at most 45000 ms/);
        assert.match(result.stderr, /\[shutdown\] final sync done: the workspace core stopped in \d+ ms with every change in the store/);
    });

    it('says what did not reach the store', async () => {
        const result = await run(child({ stopMs: 10, problems: ['final replication sync: the bucket is unreachable'] }), {}, 1);
        assert.match(result.stderr, /\[shutdown\] stopped in \d+ ms, but not everything reached the store: final replication sync: the bucket is unreachable/);
        assert.doesNotMatch(result.stderr, /final sync done/);
    });

    it('gives up after STUDIO_SHUTDOWN_TIMEOUT_MS and lets Theia exit', async () => {
        const result = await run(child({ stopMs: 10_000 }), { STUDIO_SHUTDOWN_TIMEOUT_MS: '1000' }, 1);
        assert.deepEqual(result.stdout, ['ready', 'theia handler']);
        assert.ok(result.ms >= 1000 && result.ms < 5000, `exited after the budget (${result.ms} ms)`);
        assert.match(result.stderr, /did not stop within 1000 ms \(STUDIO_SHUTDOWN_TIMEOUT_MS\); exiting anyway/);
    });

    it('stops once when the signal comes twice', async () => {
        const result = await run(child({ stopMs: 500 }), {}, 2);
        assert.deepEqual(result.stdout, ['ready', 'core stopped', 'theia handler']);
        assert.match(result.stderr, /SIGTERM again: still stopping/);
    });

    it('refuses a budget that is not a number of milliseconds', () => {
        assert.equal(shutdownTimeoutMs({}), 45_000);
        assert.equal(shutdownTimeoutMs({ STUDIO_SHUTDOWN_TIMEOUT_MS: '60000' }), 60_000);
        assert.throws(() => shutdownTimeoutMs({ STUDIO_SHUTDOWN_TIMEOUT_MS: '10s' }), /must be a number of milliseconds, at least 1000/);
        assert.throws(() => shutdownTimeoutMs({ STUDIO_SHUTDOWN_TIMEOUT_MS: '10' }), /at least 1000/);
    });
});
