import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCore } from './workspace-core';
import { waitForValue } from '../common/test-support/wait-for-value';
import type { LockOwner } from '../locks/lock-types';
import type { CommandSandboxOptions } from '../orchestrator/command-runner';
import type { OrchestratorEvent } from '../orchestrator/orchestrator-types';
import { ScriptedTurnSpec, scriptedProviderFactory } from '../orchestrator/test-support/scripted-provider-factory';

/*
 * The holes an agent's `run_command` had before bubblewrap, tried with real processes: each
 * command is run by a scripted agent through the orchestrator, as a model would ask for it, and
 * its result is read where the model would read it. The masker (policy/secrets.ts) replaces a
 * planted value it recognises with `***`, so a result must hold neither the value nor `***`.
 * The same holes are tried in the fallback (bwrap forced unavailable), where they are open:
 * that proves each probe can see a hole when there is one.
 */

const call = (name: string, args: Record<string, unknown>): ScriptedTurnSpec => ({ toolCalls: [{ name, arguments: args }], usage: { inputTokens: 10, outputTokens: 5 } });
const alice: LockOwner = { id: 'user:alice', kind: 'human', displayName: 'Alice' };

type Command = string | { readonly command: string; readonly timeout_ms: number };

interface Probe {
    readonly name: string;
    readonly command: string;
}

class SandboxHarness {
    readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-'));
    readonly ws = path.join(this.root, 'ws');
    readonly dataDir: string;
    readonly home = path.join(this.root, 'home');
    readonly secretsFile = path.join(this.root, 'secrets.env');
    readonly envKey = `planted-env-${Math.random().toString(36).slice(2)}`;
    readonly fileKey = `planted-file-${Math.random().toString(36).slice(2)}`;
    readonly homeToken = `planted-home-${Math.random().toString(36).slice(2)}`;
    readonly events: OrchestratorEvent[] = [];
    protected readonly saved = new Map<string, string | undefined>();
    core!: WorkspaceCore;

    /** `dataInside`: the data folder inside the workspace (allowed by the configuration), where the sandbox must cover it. */
    constructor(options: { dataInside?: boolean } = {}) {
        this.dataDir = options.dataInside ? path.join(this.ws, '.studio-data') : path.join(this.root, 'data');
        fs.mkdirSync(this.ws);
        fs.mkdirSync(this.home);
        fs.writeFileSync(this.secretsFile, `ANTHROPIC_API_KEY=${this.fileKey}\n`);
        fs.writeFileSync(path.join(this.home, '.npmrc'), `//registry.npmjs.org/:_authToken=${this.homeToken}\n`);
    }

    /** Plants the keys in the environment the backend and (forked from it) the agent processes hold. */
    async start(commandSandbox?: CommandSandboxOptions): Promise<void> {
        this.setEnv('OPENAI_API_KEY', this.envKey);
        this.setEnv('STUDIO_SECRETS_FILE', this.secretsFile);
        this.setEnv('HOME', this.home);
        this.setEnv('STUDIO_REPLICA_URL', 'off');
        this.core = new WorkspaceCore({ workspaceDir: this.ws, dataDir: this.dataDir }, {
            orchestrator: {
                providerFactory: scriptedProviderFactory((_definition, task) => [
                    ...(JSON.parse(task.prompt) as Command[]).map(c => call('run_command', typeof c === 'string' ? { command: c, timeout_ms: 20_000 } : c)),
                    call('finish', { summary: 'done' }),
                ]),
                restartBackoff: { initialMs: 50, maxMs: 200 },
                heartbeatTimeoutMs: 30_000,
                commandSandbox,
            },
        });
        await this.core.start();
        this.core.orchestrator.onEvent(e => this.events.push(e));
    }

    /** Runs `commands` as one task of `agentId`; the results, as the model and the UI saw them. */
    async run(agentId: string, commands: readonly Command[]): Promise<string[]> {
        const task = this.core.orchestrator.submitTask(agentId, { prompt: JSON.stringify(commands) });
        const done = await this.core.orchestrator.waitForTask(task.id);
        assert.equal(done.status, 'done', JSON.stringify(done));
        return this.events
            .filter((e): e is Extract<OrchestratorEvent, { type: 'tool-call' }> => e.type === 'tool-call' && e.phase === 'finished' && e.taskId === task.id)
            .map(e => e.result!.content);
    }

    planted(): string[] {
        return [this.envKey, this.fileKey, this.homeToken];
    }

    protected setEnv(name: string, value: string): void {
        if (!this.saved.has(name)) {
            this.saved.set(name, process.env[name]);
        }
        process.env[name] = value;
    }

    async dispose(): Promise<void> {
        await this.core?.stop();
        for (const [name, value] of this.saved) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

/** Files, locks and the symlink the probes aim at; returns the probes. */
async function prepareHoles(h: SandboxHarness): Promise<Probe[]> {
    fs.writeFileSync(path.join(h.ws, 'locked.txt'), 'original\n');
    fs.mkdirSync(path.join(h.ws, 'nested'));
    fs.writeFileSync(path.join(h.ws, 'nested/held.txt'), 'original\n');
    fs.symlinkSync(h.secretsFile, path.join(h.ws, 'secret-link'));
    await h.core.locks.acquire({ path: 'locked.txt', mode: 'exclusive', owner: alice });
    await h.core.locks.acquire({ path: 'nested/held.txt', mode: 'exclusive', owner: alice });
    const agentPid = h.core.orchestrator.getAgent('codex')!.pid;
    assert.ok(agentPid, 'the codex agent process runs (it holds the keys in its environment)');
    // A redirection, not `cat | tr`: a pipeline's status would be tr's, success even when the file cannot be read. Only the
    // telling lines are printed: a tool result reaches the events cut at 2,000 characters, and an environment is longer.
    const telling = `grep -iE 'key|secret|token|auth|planted|^PATH='`;
    const environ = (pid: number | string) => `tr '\\0' '\\n' < /proc/${pid}/environ > .environ-probe && ${telling} .environ-probe`;
    // Spelled unlike STUDIO_SECRETS_FILE's value: the masker hides that path itself, which would hide what cat answers.
    const secretsFile = `${path.dirname(h.secretsFile)}/./${path.basename(h.secretsFile)}`;
    return [
        { name: 'the secrets file', command: `cat ${secretsFile}` },
        { name: 'the environment', command: `env | ${telling}` },
        { name: 'the backend\'s environ', command: environ(process.pid) },
        { name: 'pid 1\'s environ', command: environ(1) },
        { name: 'an agent process\'s environ', command: environ(agentPid!) },
        { name: 'the data folder', command: `ls ${h.dataDir} && head -c 16 ${h.dataDir}/workspace.db` },
        { name: 'a symlink to the secrets file', command: 'cat secret-link' },
        { name: 'the home folder', command: `cat ${h.home}/.npmrc` },
        { name: 'a file another owner locked', command: 'echo pwned > locked.txt' },
        { name: 'a locked file under a renamed folder', command: 'mv nested nested-moved && mkdir nested && echo pwned > nested/held.txt' },
        { name: 'an agent definition', command: 'mkdir -p .coditect/agents && echo \'{"name":"x","vendor":"openai","model":"m"}\' > .coditect/agents/x.json' },
        { name: 'the configuration folder, renamed', command: 'mv .coditect coditect-moved && mkdir -p .coditect/agents && echo {} > .coditect/agents/x.json' },
        { name: 'the workspace settings (an agent\'s endpoint)', command: 'mkdir -p .theia && echo \'{"coditect.agents":{"claude":{"baseUrl":"http://evil.invalid"}}}\' > .theia/settings.json' },
    ];
}

/** Every process's command line on this machine (the host's /proc). */
function commandLines(): string[] {
    const lines: string[] = [];
    for (const entry of fs.readdirSync('/proc')) {
        if (/^\d+$/.test(entry)) {
            const cmdline = readable(`/proc/${entry}/cmdline`);
            if (cmdline) {
                lines.push(cmdline.split('\0').filter(Boolean).join(' '));
            }
        }
    }
    return lines;
}

function readable(file: string): string | undefined {
    try {
        return fs.readFileSync(file, 'utf8');
    } catch {
        return undefined;
    }
}

describe('agents\' commands in bubblewrap', function () {
    this.timeout(120_000);
    let h: SandboxHarness;
    beforeEach(() => {
        h = new SandboxHarness();
    });
    afterEach(async () => {
        await h.dispose();
    });

    it('reads no key, no data folder, no home, no other process, and writes nothing locked or in .coditect/', async () => {
        await h.start();
        assert.equal(h.core.orchestrator.commands.mode.kind, 'bwrap', JSON.stringify(h.core.orchestrator.commands.health()));
        const probes = await prepareHoles(h);
        const results = await h.run('claude', probes.map(p => p.command));
        assert.equal(results.length, probes.length);
        probes.forEach((probe, i) => {
            const result = results[i];
            for (const planted of h.planted()) {
                assert.ok(!result.includes(planted), `${probe.name}: the key is in the result:\n${result}`);
            }
            assert.ok(!result.includes('***'), `${probe.name}: the masker hid something, so the command saw a secret:\n${result}`);
            assert.ok(!result.includes('SQLite format'), `${probe.name}: a database was read:\n${result}`);
            // The environment, and the sandbox's own first process, may be read: they hold no secret.
            if (probe.name !== 'the environment' && probe.name !== 'pid 1\'s environ') {
                assert.doesNotMatch(result, /^exit code 0\n/, `${probe.name}: the command succeeded:\n${result}`);
            }
        });
        assert.doesNotMatch(results[1], /OPENAI_API_KEY|STUDIO_SECRETS_FILE/, 'secret-named variables are dropped');
        assert.equal(fs.readFileSync(path.join(h.ws, 'locked.txt'), 'utf8'), 'original\n');
        assert.equal(fs.readFileSync(path.join(h.ws, 'nested/held.txt'), 'utf8'), 'original\n');
        assert.ok(!fs.existsSync(path.join(h.ws, 'nested-moved')), 'the folder of a locked file was not renamed');
        assert.ok(!fs.existsSync(path.join(h.ws, '.coditect/agents/x.json')), 'no agent definition was written');
        assert.ok(!fs.existsSync(path.join(h.ws, 'coditect-moved')), '.coditect/ was not renamed');
        assert.ok(!h.core.orchestrator.listAgents().some(a => a.id === 'x'));
        assert.ok(!(readable(path.join(h.ws, '.theia/settings.json')) ?? '').includes('evil.invalid'), 'the workspace settings were not changed');
    });

    it('still does an agent\'s work: writes files and those it holds locks on, runs node, sees its own processes only', async () => {
        await h.start();
        fs.writeFileSync(path.join(h.ws, 'mine.txt'), 'before\n');
        await h.core.locks.acquire({ path: 'mine.txt', mode: 'exclusive', owner: { id: 'agent:claude', kind: 'agent', displayName: 'Claude' } });
        const results = await h.run('claude', [
            'mkdir -p src && echo made > src/new.txt && cat src/new.txt',
            'echo after > mine.txt',
            'node -e "console.log(\'node\', process.version)"',
            'echo $HOME && touch $HOME/cache && echo home-writable',
            'echo tmp > /tmp/x && cat /tmp/x',
            'ls /proc | grep -cE "^[0-9]+$"',
            'git init -q repo && cd repo && git commit -q --allow-empty -m "agent work" && git log -1 --format="%an <%ae> / %cn"',
        ]);
        assert.match(results[0], /^exit code 0\nmade/);
        assert.match(results[1], /^exit code 0/);
        assert.equal(fs.readFileSync(path.join(h.ws, 'mine.txt'), 'utf8'), 'after\n', 'a lock the agent holds leaves the file writable');
        assert.match(results[2], /^exit code 0\nnode v\d+/);
        assert.match(results[3], /^exit code 0\n.*\nhome-writable/);
        assert.ok(!fs.existsSync(path.join(h.home, 'cache')), 'the home folder a command writes is its own, not the studio\'s');
        assert.match(results[4], /^exit code 0\ntmp/);
        const processes = Number(/\n(\d+)/.exec(results[5])?.[1]);
        assert.ok(processes > 0 && processes < 10, `the sandbox lists only its own processes, not the host's: ${results[5]}`);
        assert.match(results[6], /^exit code 0\nClaude <claude@agents\.coditect\.ai> \/ Claude/, 'a commit an agent makes names it');
    });

    it('runs bwrap as the unprivileged command user when the studio is root (user namespaces for that user)', async () => {
        const root = typeof process.getuid === 'function' && process.getuid() === 0;
        fs.chmodSync(h.root, 0o755);
        fs.chmodSync(h.ws, 0o777);
        const saved = process.env.STUDIO_COMMAND_USER_ID;
        process.env.STUDIO_COMMAND_USER_ID = '65534:65534';
        try {
            await h.start();
            assert.equal(h.core.orchestrator.commands.mode.kind, 'bwrap', JSON.stringify(h.core.orchestrator.commands.health()));
            const [who, secrets] = await h.run('claude', ['id -u && echo made > by-nobody.txt', `cat ${path.dirname(h.secretsFile)}/./${path.basename(h.secretsFile)}`]);
            assert.match(who, new RegExp(`^exit code 0\\n${root ? 65534 : process.getuid!()}\\n`), who);
            assert.equal(fs.statSync(path.join(h.ws, 'by-nobody.txt')).uid, root ? 65534 : process.getuid!(), 'files are written as that user');
            assert.match(secrets, /^exit code 1\ncat: .*No such file/, secrets);
        } finally {
            if (saved === undefined) {
                delete process.env.STUDIO_COMMAND_USER_ID;
            } else {
                process.env.STUDIO_COMMAND_USER_ID = saved;
            }
        }
    });

    it('covers a data folder that lies inside the workspace', async () => {
        await h.dispose();
        h = new SandboxHarness({ dataInside: true });
        await h.start();
        assert.ok(fs.existsSync(path.join(h.dataDir, 'workspace.db')), 'the databases are inside the workspace');
        const [listing, read] = await h.run('claude', ['ls -a .studio-data', 'head -c 16 .studio-data/workspace.db']);
        assert.match(listing, /^exit code 0\n/);
        assert.doesNotMatch(listing, /workspace\.db/, listing);
        assert.match(read, /^exit code 1\n/, read);
        assert.doesNotMatch(read, /SQLite format/);
    });

    it('keeps the time limit: bwrap and every process in its sandbox are killed', async () => {
        await h.start();
        const marker = `sleep 3${Math.floor(Math.random() * 1000)}`;
        const [result] = await h.run('claude', [{ command: `${marker} & ${marker}; echo never`, timeout_ms: 1000 }]);
        assert.match(result, /^killed after 1000 ms \(time limit\)/, result);
        assert.doesNotMatch(result, /never/);
        await waitForValue(`"${marker}" to end after the time limit`, () => !commandLines().includes(marker), 10_000);
    });

    it('cuts the network of an agent whose definition says "network": false, and only of that one', async () => {
        const server = net.createServer(socket => socket.on('error', () => undefined).end('hello\n'));
        await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
        try {
            await h.start();
            const port = (server.address() as net.AddressInfo).port;
            const file = path.join(h.ws, '.coditect/agents/gemini.json');
            fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), network: false }));
            const connect = `node -e "require('net').connect(${port}, '127.0.0.1').on('connect', () => { console.log('CONNECTED'); process.exit(0); }).on('error', e => { console.log('FAILED', e.code); process.exit(3); })"`;
            const [offline] = await h.run('gemini', [connect]);
            assert.match(offline, /^exit code 3\nFAILED ECONNREFUSED/, offline);
            const [online] = await h.run('claude', [connect]);
            assert.match(online, /^exit code 0\nCONNECTED/, online);
        } finally {
            server.close();
        }
    });
});

describe('agents\' commands without bubblewrap (the fallback)', function () {
    this.timeout(120_000);
    let h: SandboxHarness;
    beforeEach(() => {
        h = new SandboxHarness();
    });
    afterEach(async () => {
        await h.dispose();
    });

    it('says so in health when bwrap is not installed, naming the package, and the holes the sandbox closes are open', async () => {
        await h.start({ bwrap: path.join(h.root, 'no-such-dir', 'bwrap') });
        const health = (await h.core.refreshHealth()).components.find(c => c.id === 'command-sandbox');
        assert.ok(health, 'a command-sandbox component');
        assert.equal(health.status, 'degraded');
        assert.match(health.detail, /bubblewrap is not installed/);
        assert.match(health.detail, /apt-get install bubblewrap/);
        assert.equal(h.core.orchestrator.commands.mode.kind, 'fallback');
        // The probes see the holes here, so they would see them in the sandbox too.
        // Not the .coditect/ probes here: moving the definitions away mid-task would stop the agent running them.
        const probes = (await prepareHoles(h)).filter(p => !/definition|configuration/.test(p.name));
        const results = await h.run('claude', probes.map(p => p.command));
        const byName = new Map(probes.map((p, i) => [p.name, results[i]]));
        assert.match(byName.get('the secrets file')!, /ANTHROPIC_API_KEY=\*\*\*/, 'the secrets file is readable without the sandbox');
        assert.match(byName.get('an agent process\'s environ')!, /OPENAI_API_KEY=\*\*\*/, 'an agent process\'s environment is readable without the sandbox');
        assert.match(byName.get('the data folder')!, /SQLite format 3/);
        assert.match(byName.get('the backend\'s environ')!, /PATH=/, 'the backend\'s environment is readable without the sandbox');
        assert.match(byName.get('a symlink to the secrets file')!, /\*\*\*/);
        assert.ok(byName.get('the home folder')!.includes(h.homeToken), 'the home folder is readable without the sandbox');
        assert.equal(readable(path.join(h.ws, 'locked.txt')), 'pwned\n', 'a locked file is writable without the sandbox');
        assert.doesNotMatch(byName.get('the environment')!, /OPENAI_API_KEY/, 'secret variables are still dropped');
    });

    it('says so when bwrap is not on PATH, or cannot create namespaces here', async () => {
        await h.start({ env: { ...process.env, PATH: path.join(h.root, 'empty-bin') } });
        let health = h.core.orchestrator.commands.health();
        assert.equal(health.status, 'degraded');
        assert.match(health.detail, /"bwrap" was not found on PATH/);
        await h.core.stop();

        const fake = path.join(h.root, 'fake-bwrap');
        fs.writeFileSync(fake, '#!/bin/sh\necho "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2\nexit 1\n', { mode: 0o755 });
        const second = new SandboxHarness();
        try {
            await second.start({ bwrap: fake });
            health = (await second.core.refreshHealth()).components.find(c => c.id === 'command-sandbox')!;
            assert.equal(health.status, 'degraded');
            assert.match(health.detail, /cannot create a sandbox here .*No permissions to creating new namespace/);
            assert.match(health.detail, /User namespaces are probably not allowed/);
        } finally {
            await second.dispose();
        }
    });
});
