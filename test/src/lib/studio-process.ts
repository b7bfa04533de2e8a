import { ChildProcess, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentScriptFile } from '@coditect/workspace-backend/test-support';
import { testResultsDir } from './repo-paths';

export interface StudioLaunchOptions {
    /** A built Theia browser application (its lib/backend/main.js is started). */
    readonly appDir: string;
    readonly workspaceDir: string;
    /** Defaults to a fresh temporary folder, removed on stop. */
    readonly dataDir?: string;
    readonly env?: NodeJS.ProcessEnv;
    readonly timeoutMs?: number;
    /** Name of the log file under test-results/logs. */
    readonly logName?: string;
    /** The backend's current folder; defaults to `appDir`. */
    readonly cwd?: string;
    /**
     * How the workspace folder is given: as the backend's folder argument (the default, as `npm start`
     * and the container do), or as STUDIO_WORKSPACE alone.
     */
    readonly workspaceVia?: 'argument' | 'environment';
    /**
     * Scripted agents: the backend is started with test code preloaded (scripted-agents-preload.ts)
     * that makes its agents replay these turns instead of calling a vendor. Without it the agents
     * are the vendors' real models, as in every production start.
     */
    readonly agentScript?: AgentScriptFile;
    /** The loopback address and port to listen on (127.0.0.1 and a free port by default); a pod of the Kubernetes test server has its own address. */
    readonly hostname?: string;
    readonly port?: number;
}

export interface StudioProcess {
    readonly url: string;
    /** The local token the studio was started with (STUDIO_AUTH_TOKEN), unless the test configured other authentication. */
    readonly token: string;
    /** The login URL the studio prints, opening `hash` (e.g. the workspace path) once signed in. */
    loginUrl(hash?: string): string;
    /** `Authorization: Bearer <token>`, for HTTP API requests. */
    readonly authHeaders: Record<string, string>;
    readonly port: number;
    readonly workspaceDir: string;
    readonly dataDir: string;
    /** The backend's THEIA_CONFIG_DIR: user settings, and the VS Code extensions users install (deployedPlugins/). */
    readonly configDir: string;
    readonly process: ChildProcess;
    /** Wall-clock time from spawning the backend to its "listening" line. */
    readonly startToListeningMs: number;
    readonly logFile: string;
    stop(): Promise<void>;
}

/**
 * Starts a Theia backend the way the studio runs it: on a free loopback port, with the given
 * workspace, a fresh Theia configuration directory and (unless given) a fresh data directory.
 * Output goes to a log file, so a failing test can be diagnosed after the fact.
 */
export async function launchStudio(options: StudioLaunchOptions): Promise<StudioProcess> {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'coditect-studio-'));
    const configDir = path.join(scratch, 'theia-config');
    const dataDir = options.dataDir ?? path.join(scratch, 'data');
    fs.mkdirSync(configDir, { recursive: true });
    const logDir = path.join(testResultsDir, 'logs');
    fs.mkdirSync(logDir, { recursive: true });
    const logFile = path.join(logDir, `${options.logName ?? path.basename(options.appDir)}-${process.pid}-${Date.now()}.log`);
    const log = fs.createWriteStream(logFile);

    const token = options.env?.STUDIO_AUTH_TOKEN ?? crypto.randomBytes(24).toString('base64url');
    const startedAt = performance.now();
    // One way to give the workspace (a STUDIO_WORKSPACE of the test's own environment is not inherited).
    const { STUDIO_WORKSPACE: _inherited, ...inheritedEnv } = process.env;
    const byEnvironment = options.workspaceVia === 'environment';
    const scripted = options.agentScript && scriptedAgents(options.agentScript, scratch);
    const child = spawn(process.execPath, [
        ...(scripted?.nodeArgs ?? []),
        path.join(options.appDir, 'lib', 'backend', 'main.js'), ...(byEnvironment ? [] : [options.workspaceDir]), `--hostname=${options.hostname ?? '127.0.0.1'}`, `--port=${options.port ?? 0}`,
    ], {
        cwd: options.cwd ?? options.appDir,
        env: {
            ...inheritedEnv, ...(byEnvironment ? { STUDIO_WORKSPACE: options.workspaceDir } : {}),
            THEIA_CONFIG_DIR: configDir, STUDIO_DATA_DIR: dataDir, STUDIO_AUTH_TOKEN: token, ...scripted?.env, ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);

    const port = await new Promise<number>((resolve, reject) => {
        let seen = '';
        const timer = setTimeout(() => fail(new Error(`the backend did not listen within ${options.timeoutMs ?? 60000} ms; see ${logFile}`)),
            options.timeoutMs ?? 60000);
        const fail = (error: Error) => {
            clearTimeout(timer);
            child.kill('SIGKILL');
            reject(error);
        };
        child.stdout!.on('data', (chunk: Buffer) => {
            seen += chunk.toString();
            const match = /listening on https?:\/\/[^:\s]+:(\d+)/.exec(seen);
            if (match) {
                clearTimeout(timer);
                resolve(Number(match[1]));
            }
        });
        child.once('exit', code => fail(new Error(`the backend exited with code ${code} before listening; see ${logFile}`)));
    });
    const startToListeningMs = performance.now() - startedAt;

    const url = `http://${options.hostname ?? '127.0.0.1'}:${port}`;
    return {
        url,
        token,
        loginUrl: hash => `${url}/?token=${encodeURIComponent(token)}${hash ? `#${hash}` : ''}`,
        authHeaders: { Authorization: `Bearer ${token}` },
        port,
        workspaceDir: options.workspaceDir,
        dataDir,
        configDir,
        process: child,
        startToListeningMs,
        logFile,
        stop: async () => {
            if (child.exitCode === null && child.signalCode === null) {
                const exited = new Promise(resolve => child.once('exit', resolve));
                child.kill('SIGTERM');
                const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
                await exited;
                clearTimeout(timer);
            }
            fs.rmSync(scratch, { recursive: true, force: true });
        },
    };
}

/** Node's arguments and the environment that preload scripted agents (scripted-agents-preload.ts) replaying `script`, written into `scratch`. */
function scriptedAgents(script: AgentScriptFile, scratch: string): { nodeArgs: string[]; env: NodeJS.ProcessEnv } {
    const file = path.join(scratch, 'agent-script.json');
    fs.writeFileSync(file, JSON.stringify(script));
    return { nodeArgs: ['--require', path.join(__dirname, 'scripted-agents-preload.js')], env: { STUDIO_TEST_AGENT_SCRIPT: file } };
}
