#!/usr/bin/env node
// `npm run demo`: the studio on a fresh copy of a small sample project, with its four agents
// answered by local servers that replay recorded vendor conversations (no key, no vendor called).
// Each agent gets one task at start; watch them take it, lock their file, edit it and report usage.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { setTimeout, clearTimeout } = require('node:timers');

const root = path.resolve(__dirname, '..', '..');
const backendLib = path.join(root, 'workspace-backend', 'lib');

const usage = `Usage: npm run demo -- [options]

  --turn-delay <ms>   How long each recorded model turn takes (default 5000, so a newcomer opening the IDE still sees the agents at work)
  --headless          No IDE: run the four demo tasks in the workspace core, print what happens, exit
                      (0 when all four agents finished as recorded)
  --timeout <ms>      With --headless: give up after this long (default 60000)
  --port <number>     Port of the studio (default 3000; 0 picks a free one)
  --host <address>    Address of the studio (default 127.0.0.1)
  -h, --help          Show this help

The demo lives in $STUDIO_STATE_DIR/demo (default .studio/demo), recreated on every run.
`;

function fail(message) {
    process.stderr.write(`[demo] error: ${message}\n`);
    process.exit(2);
}

let options;
try {
    options = parseArgs({
        args: process.argv.slice(2),
        options: {
            'turn-delay': { type: 'string', default: '5000' },
            headless: { type: 'boolean', default: false },
            timeout: { type: 'string', default: '60000' },
            port: { type: 'string' },
            host: { type: 'string' },
            help: { type: 'boolean', short: 'h' },
        },
    }).values;
} catch (error) {
    fail(`${error.message}\n\n${usage}`);
}
if (options.help) {
    process.stdout.write(usage);
    process.exit(0);
}
const turnDelayMs = Number(options['turn-delay']);
const timeoutMs = Number(options.timeout);
if (!Number.isInteger(turnDelayMs) || turnDelayMs < 0 || !Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    fail('--turn-delay and --timeout take whole milliseconds (--turn-delay 0 or more, --timeout more than 0).');
}
if (!fs.existsSync(path.join(backendLib, 'core', 'demo-vendors.js'))) {
    fail(`${backendLib} is not built; run "npm run demo" (which builds first) or "npx tsc -b".`);
}

// Fresh every run: the sample project as committed, empty databases, no leftover replica.
const demoDir = path.resolve(process.env.STUDIO_STATE_DIR || path.join(root, '.studio'), 'demo');
fs.rmSync(demoDir, { recursive: true, force: true });
const workspace = path.join(demoDir, 'workspace');
const dataDir = path.join(demoDir, 'data');
fs.cpSync(path.join(root, 'test', 'fixtures', 'demo-workspace'), workspace, { recursive: true });
fs.mkdirSync(dataDir, { recursive: true });

const log = message => process.stderr.write(`[demo] ${message}\n`);

async function main() {
    const { startDemoVendors } = require(path.join(backendLib, 'core', 'demo-vendors.js'));
    const vendors = await startDemoVendors(workspace, { turnDelayMs });
    const tasksFile = path.join(demoDir, 'demo-tasks.json');
    fs.writeFileSync(tasksFile, JSON.stringify(vendors.tasks, undefined, 2));
    const env = { ...vendors.env, STUDIO_DEMO: '1', STUDIO_DEMO_TASKS: tasksFile };
    for (const [vendor, server] of Object.entries(vendors.servers)) {
        log(`${vendor} recordings served at ${server.baseUrl}`);
    }
    if (options.headless) {
        const ok = await runHeadless(env, vendors);
        await vendors.stop();
        process.exit(ok ? 0 : 1);
    }
    const args = [path.join(root, 'scripts', 'start-studio.js'), '--workspace', workspace, '--data-dir', dataDir];
    if (options.port) {
        args.push('--port', options.port);
    }
    if (options.host) {
        args.push('--host', options.host);
    }
    const studio = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    for (const signal of ['SIGINT', 'SIGTERM']) {
        process.on(signal, () => studio.kill(signal));
    }
    studio.on('exit', async (code, signal) => {
        await vendors.stop();
        process.exit(code ?? (signal ? 1 : 0));
    });
}

/** The workspace core in this process, without the IDE: prints each agent's tool calls and usage, resolves true when all four finished as recorded. */
async function runHeadless(env, vendors) {
    Object.assign(process.env, env);
    const { WorkspaceCore } = require(backendLib);
    const core = new WorkspaceCore({ workspaceDir: workspace, dataDir });
    const timer = setTimeout(() => {
        log(`timed out after ${timeoutMs} ms`);
        process.exit(1);
    }, timeoutMs);
    try {
        await core.start();
        core.orchestrator.onEvent(event => {
            if (event.type === 'tool-call' && event.phase === 'started') {
                log(`${event.agentId}: ${event.call.name} ${event.call.arguments.path ?? ''}`);
            } else if (event.type === 'usage') {
                log(`${event.agentId}: ${event.tokensUsed} tokens so far`);
            }
        });
        const demo = (await core.health()).components.find(c => c.id === 'demo');
        log(demo ? demo.detail : 'warning: the core does not report demo mode');
        const results = [];
        for (const agentId of Object.keys(vendors.tasks)) {
            const [conversation] = core.chat.conversations(agentId);
            if (!conversation) {
                log(`${agentId} got no demo task`);
                results.push({ agentId, status: 'missing' });
                continue;
            }
            const first = core.chat.conversation(conversation.conversationId)[0];
            const task = await core.orchestrator.waitForTask(first.taskId);
            const reply = core.chat.conversation(conversation.conversationId).at(-1);
            log(`${agentId}: ${task.status}: ${reply.text.split('\n').at(-1)}`);
            results.push({ agentId, status: task.status, taskId: task.id, tokens: core.orchestrator.metrics(agentId).tokensUsed });
        }
        const failures = vendors.failures();
        failures.forEach(f => log(`unexpected request: ${f}`));
        process.stdout.write(JSON.stringify({ workspace, results, failures }) + '\n');
        return failures.length === 0 && results.every(r => r.status === 'done');
    } finally {
        clearTimeout(timer);
        await core.stop();
    }
}

main().catch(error => fail(error.stack || error.message));
