import { WorkspaceSettingsFolder } from '../policy/workspace-paths';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommandActivity } from '../file-changes/running-commands';
import type { ComponentHealth } from '../health/workspace-health';
import type { LockManager } from '../locks/lock-manager';
import type { LockOwner } from '../locks/lock-types';
import { AgentDefinitionsFolder } from './definition-store';
import { bwrapArguments, realpathOrUndefined, SandboxView } from './bwrap-sandbox';
import { CommandSandbox, commandSandbox } from './command-sandbox';
import { runProcess } from './run-process';
import { sandboxHiddenPaths } from './sandbox-hidden-paths';
import { agentIdOf } from '../policy/principal';
import { logFor } from '../telemetry/logger';

export interface CommandSandboxOptions {
    /** The bwrap to run: a path, or a name looked up on the environment's PATH. Default `bwrap`. */
    readonly bwrap?: string;
    /** Folders commands must never see besides the home folder and secret variables' files: the data folder, the replica folder. */
    readonly hidden?: readonly (string | undefined)[];
    /** The environment commands start from (secret-named variables are dropped). Default: the backend's. */
    readonly env?: NodeJS.ProcessEnv;
}

/** How commands run: being probed, isolated by bubblewrap, or (bwrap missing or not allowed here) the separate-uid fallback. */
export type SandboxMode =
    | { readonly kind: 'probing' }
    | { readonly kind: 'bwrap'; readonly bwrap: string }
    | { readonly kind: 'fallback'; readonly reason: string; readonly fix: string };

export interface RunCommandOptions {
    /** Absolute, inside the workspace (WorkspacePaths confined it). */
    readonly cwd: string;
    readonly timeoutMs: number;
    readonly signal: AbortSignal;
    readonly outputCap: number;
    /** Whose command it is: locks this owner holds stay writable, everyone else's are read-only. */
    readonly owner: LockOwner;
    /** The agent definition's `network`. */
    readonly network: boolean;
    /** The task the command is run for (the file changes it makes are attributed to it). */
    readonly taskId?: number;
    /** Variables added to the command's environment (a hook's input); never secrets. */
    readonly env?: Readonly<Record<string, string>>;
}

const probeTimeoutMs = 15_000;

/**
 * Hears each agent command around its run (the change sets read the repository's HEAD before and
 * after it). `before` is awaited before the command starts; the function it resolves with is
 * awaited once the command has ended, before the agent gets its result. Neither may reject.
 */
export interface CommandObserver {
    before(command: { readonly owner: LockOwner; readonly taskId?: number }): Promise<() => Promise<void>>;
}

/**
 * The author and committer of any commit a command makes: the agent that ran it, so `git log` and
 * the Source Control view say which agent made a commit (the sandbox's home has no git identity
 * of its own). The address is not a mailbox; it names the agent by id.
 */
export function gitIdentityOf(owner: LockOwner): Record<string, string> {
    const email = `${agentIdOf(owner.id)}@agents.coditect.ai`;
    return { GIT_AUTHOR_NAME: owner.displayName, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: owner.displayName, GIT_COMMITTER_EMAIL: email };
}

/**
 * Runs agents' `run_command`s. Detects once, at construction, whether bubblewrap works here, by
 * running a trivial command with the same arguments and identity real commands get; every
 * command waits for that answer. Then each command runs either in bubblewrap (bwrap-sandbox.ts:
 * the workspace, minus what others hold locks on and `.coditect/`, no keys, no data folder, no
 * backend processes, network per agent) or, where bwrap is missing or user namespaces are not
 * allowed, as before: the environment without secrets and a separate uid when the studio runs
 * as root. Health says which, and in the fallback what is missing and what to do.
 *
 * Both keep: secret-named variables dropped (policy/secrets.ts), the time limit (the process
 * group is killed, and with it bwrap's whole PID namespace), the output cap, the working folder
 * inside the workspace.
 */
export class CommandRunner {
    protected current: SandboxMode = { kind: 'probing' };
    protected readonly detected: Promise<void>;
    protected readonly env: NodeJS.ProcessEnv;
    protected readonly bwrap: string;

    /**
     * `activity` hears when each command starts and exits (the workspace watcher attributes the changes meanwhile to it);
     * `observer`, before it starts and after it exits.
     */
    constructor(
        protected readonly locks: LockManager, protected readonly options: CommandSandboxOptions = {}, protected readonly activity?: CommandActivity,
        protected readonly observer?: CommandObserver,
    ) {
        this.env = options.env ?? process.env;
        this.bwrap = options.bwrap ?? 'bwrap';
        this.detected = this.detect().then(mode => {
            this.current = mode;
            if (mode.kind === 'fallback') {
                logFor('agents').warn(`agents' commands are not isolated: ${mode.reason}. ${mode.fix}`);
            }
        });
    }

    get mode(): SandboxMode {
        return this.current;
    }

    /** Resolves once the probe has decided the mode; never rejects. */
    ready(): Promise<void> {
        return this.detected;
    }

    async run(command: string, options: RunCommandOptions): Promise<{ output: string; code: number | null; timedOut: boolean }> {
        await this.detected;
        const after = await this.observer?.before({ owner: options.owner, taskId: options.taskId });
        const running = this.activity?.started({ owner: options.owner, taskId: options.taskId, command });
        try {
            return await this.runSandboxed(command, options);
        } finally {
            running?.end();
            await after?.();
        }
    }

    protected async runSandboxed(command: string, options: RunCommandOptions): Promise<{ output: string; code: number | null; timedOut: boolean }> {
        const sandbox = commandSandbox(this.locks.paths.root, this.env);
        const identity = { ...sandbox, env: { ...sandbox.env, ...options.env, ...gitIdentityOf(options.owner) } };
        const mode = this.current;
        if (mode.kind !== 'bwrap') {
            return runProcess('/bin/sh', ['-c', command], options.cwd, options.timeoutMs, options.signal, options.outputCap, identity);
        }
        const args = [...bwrapArguments(this.view(options)), '--', '/bin/sh', '-c', command];
        return runProcess(mode.bwrap, args, '/', options.timeoutMs, options.signal, options.outputCap, this.sandboxed(identity));
    }

    health(): ComponentHealth {
        const id = 'command-sandbox';
        const label = 'Agent commands';
        const mode = this.current;
        switch (mode.kind) {
            case 'probing':
                return { id, label, status: 'starting', detail: 'Checking whether bubblewrap can isolate agents\' commands.' };
            case 'bwrap':
                return {
                    id, label, status: 'ok',
                    detail: 'Isolated by bubblewrap: a command sees the workspace (read-only where others hold locks, and .coditect/), '
                        + 'not the keys, the data folder, the home folder or the studio\'s processes; network as each agent\'s definition says.',
                    metrics: { sandbox: 'bubblewrap' },
                };
            case 'fallback':
                return {
                    id, label, status: 'degraded',
                    detail: `Not isolated: ${mode.reason}. Commands run without secret variables${this.identityNote()}, but can read whatever that user can `
                        + `(the secrets file, the data folder, other processes' environment), write any file, locked or not, and reach the network. ${mode.fix}`,
                    metrics: { sandbox: 'separate-uid' },
                };
        }
    }

    /** The view of one command: the workspace, what is read-only for this owner, what is hidden. */
    protected view(options: Pick<RunCommandOptions, 'cwd' | 'owner' | 'network'>): SandboxView {
        const root = path.resolve(this.locks.paths.root);
        const real = fs.realpathSync(root);
        // `.coditect/` and `.theia/` must exist to be mounted read-only; otherwise a command could create
        // them (an agent definition, or settings sending an agent's key elsewhere).
        for (const folder of [AgentDefinitionsFolder, WorkspaceSettingsFolder]) {
            try {
                fs.mkdirSync(path.join(root, folder), { recursive: true });
            } catch {
                // A read-only workspace: nothing can be created in it anyway.
            }
        }
        // Locks as they are when the command starts: one taken while it runs is not enforced on it (the lock
        // manager still guards every tool write). A locked path that does not exist yet cannot be mounted over.
        const protectedPaths = ['.coditect', WorkspaceSettingsFolder, ...this.locks.list().filter(l => l.owner.id !== options.owner.id).map(l => l.path)];
        const readOnly = new Set<string>();
        for (const relative of protectedPaths) {
            const resolved = realpathOrUndefined(path.join(real, relative));
            // A lock on a symbolic link that leads out of the workspace must not mount its target into the sandbox.
            if (resolved && (resolved === real || !path.relative(real, resolved).startsWith('..'))) {
                readOnly.add(resolved);
            }
        }
        const node = realpathOrUndefined(process.execPath);
        return {
            workspace: { real, at: [...new Set([real, root])] },
            readOnly: [...readOnly],
            hidden: sandboxHiddenPaths({ folders: this.options.hidden ?? [], env: this.env }),
            tools: node ? [path.dirname(path.dirname(node))] : [],
            home: this.env.HOME,
            network: options.network,
            cwd: options.cwd,
        };
    }

    /** The identity and environment inside bwrap: the clean environment, with a temporary folder that exists there. */
    protected sandboxed(identity: CommandSandbox): CommandSandbox {
        return { ...identity, env: { ...identity.env, TMPDIR: '/tmp' } };
    }

    protected identityNote(): string {
        try {
            const identity = commandSandbox(this.locks.paths.root, this.env);
            return identity.uid !== undefined ? ` as uid ${identity.uid}` : typeof process.getuid === 'function' && process.getuid() === 0 ? ' as root' : ' as the studio\'s own user';
        } catch {
            return '';
        }
    }

    /** Runs `true` in a sandbox like a real command's (network off: the most it asks of the kernel), as the user commands run as. */
    protected async detect(): Promise<SandboxMode> {
        let identity: CommandSandbox;
        let args: string[];
        try {
            identity = this.sandboxed(commandSandbox(this.locks.paths.root, this.env));
            args = [...bwrapArguments(this.view({ cwd: this.locks.paths.root, owner: { id: 'studio:probe', kind: 'agent', displayName: 'probe' }, network: false })), '--', '/bin/sh', '-c', 'true'];
        } catch (error) {
            return { kind: 'fallback', reason: `the sandbox could not be prepared (${(error as Error).message})`, fix: 'Fix the setting named, then restart the studio.' };
        }
        const outcome = await new Promise<{ error?: NodeJS.ErrnoException; code?: number | null; stderr: string; timedOut?: boolean }>(resolve => {
            const child = spawn(this.bwrap, args, { cwd: '/', stdio: ['ignore', 'ignore', 'pipe'], ...identity });
            let stderr = '';
            child.stderr.on('data', (chunk: Buffer) => {
                stderr = (stderr + chunk.toString('utf8')).slice(0, 2000);
            });
            const timer = setTimeout(() => {
                child.kill('SIGKILL');
                resolve({ stderr, timedOut: true });
            }, probeTimeoutMs);
            child.on('error', error => {
                clearTimeout(timer);
                resolve({ error, stderr });
            });
            child.on('close', code => {
                clearTimeout(timer);
                resolve({ code, stderr });
            });
        });
        if (outcome.error?.code === 'ENOENT') {
            return {
                kind: 'fallback', reason: `bubblewrap is not installed ("${this.bwrap}" was not found${path.isAbsolute(this.bwrap) ? '' : ' on PATH'})`,
                fix: 'Install Debian\'s bubblewrap package (apt-get install bubblewrap; scripts/studio.sh and the container image install it), then restart the studio.',
            };
        }
        if (outcome.error || outcome.timedOut || outcome.code !== 0) {
            const said = outcome.error?.message ?? (outcome.timedOut ? `no answer in ${probeTimeoutMs / 1000} s` : outcome.stderr.trim().split('\n')[0] || `exit code ${outcome.code}`);
            return {
                kind: 'fallback', reason: `bubblewrap cannot create a sandbox here (${this.bwrap}: ${said})`,
                fix: 'User namespaces are probably not allowed: allow them (sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0; '
                    + 'on Kubernetes a node that permits them and a pod whose seccomp and AppArmor profiles allow unshare and mount), then restart the studio.',
            };
        }
        return { kind: 'bwrap', bwrap: this.bwrap };
    }
}
