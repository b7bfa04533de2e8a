#!/usr/bin/env node
// Starts the studio on the embedded default: a local workspace folder and a local data directory,
// no cloud account, no API key. `npm start -- --help` lists the options; README.md documents them.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const root = path.resolve(__dirname, '..');
const env = process.env;
const stateDir = path.resolve(env.STUDIO_STATE_DIR || path.join(root, '.studio'));

const usage = `Usage: npm start -- [options]

  --workspace <dir>   Workspace folder to open (env STUDIO_WORKSPACE; if both are given they must name the same
                      folder; default .studio/workspace, created with a welcome file)
  --data-dir <dir>    Data directory of the workspace core (env STUDIO_DATA_DIR; default .studio/data)
  --host <address>    Address to listen on (env STUDIO_HOST; default 127.0.0.1)
  --port <number>     Port to listen on (env STUDIO_PORT; default 3000; 0 picks a free one)
  -h, --help          Show this help
`;

function fail(message) {
    process.stderr.write(`[studio] error: ${message}\n`);
    process.exit(2);
}

let options;
try {
    options = parseArgs({
        args: process.argv.slice(2),
        options: {
            workspace: { type: 'string' },
            'data-dir': { type: 'string' },
            host: { type: 'string' },
            port: { type: 'string' },
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

// The workspace core's own rule decides (workspace-backend/src/config/workspace-config.ts): --workspace,
// else STUDIO_WORKSPACE, both only when they name the same folder; this launcher adds the embedded
// default when neither is given. Loaded here, not at the top: `--help` works before the first build.
const { ConfigError, resolveWorkspaceConfig } = require(path.join(root, 'workspace-backend', 'lib', 'config', 'workspace-config'));
let workspace;
let dataDir;
try {
    ({ workspaceDir: workspace, dataDir } = resolveWorkspaceConfig({
        workspaceDir: options.workspace ?? (env.STUDIO_WORKSPACE ? undefined : path.join(stateDir, 'workspace')),
        dataDir: options['data-dir'] ?? (env.STUDIO_DATA_DIR ? undefined : path.join(stateDir, 'data')),
        workspaceOption: '--workspace <dir>',
    }, env));
} catch (error) {
    if (error instanceof ConfigError) {
        fail(error.message);
    }
    throw error;
}
const host = options.host || env.STUDIO_HOST || '127.0.0.1';
const port = options.port || env.STUDIO_PORT || '3000';
if (!/^\d+$/.test(port) || Number(port) > 65535) {
    fail(`--port must be a number from 0 to 65535, not "${port}".`);
}

if (!fs.existsSync(workspace)) {
    fs.mkdirSync(workspace, { recursive: true });
    fs.copyFileSync(path.join(root, 'browser-app', 'welcome', 'README.md'), path.join(workspace, 'README.md'));
    process.stderr.write(`[studio] created the embedded workspace ${workspace}\n`);
}
fs.mkdirSync(dataDir, { recursive: true });

// The backend gets the workspace one way only, as its folder argument (what Theia opens is what the core
// serves); STUDIO_WORKSPACE, already folded into `workspace` above, is not passed on.
const backendEnv = { ...env, STUDIO_DATA_DIR: dataDir };
delete backendEnv.STUDIO_WORKSPACE;
const backend = spawn(process.execPath, [
    path.join(root, 'browser-app', 'lib', 'backend', 'main.js'), workspace, `--hostname=${host}`, `--port=${port}`,
], {
    stdio: ['inherit', 'pipe', 'inherit'],
    env: backendEnv,
});

// Theia announces "Theia app listening on http://host:port."; the studio then prints its login URL
// (local token, Jupyter's convention). Say plainly where to go.
let announced = false;
let pending = '';
backend.stdout.on('data', chunk => {
    process.stdout.write(chunk);
    pending = (pending + chunk.toString()).slice(-4096);
    const listening = /listening on (https?:\/\/\S+?)\.?\s/.exec(pending);
    const login = /login URL: (\S+)/.exec(pending);
    if (!announced && listening && (login || env.STUDIO_AUTH === 'jwt' || env.STUDIO_AUTH_JWT_SECRET || env.STUDIO_AUTH_JWT_PUBLIC_KEY_FILE || env.STUDIO_AUTH_JWKS_URL)) {
        announced = true;
        const open = login ? `  Open this URL to sign in: ${login[1]}\n` : `  ${listening[1]} (sign in with a token from your identity provider)\n`;
        process.stdout.write(`\n  CODITECT Development Studio is running.\n${open}  workspace ${workspace}\n  data      ${dataDir}\n\n`);
    }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => backend.kill(signal));
}
backend.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
