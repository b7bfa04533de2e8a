import { ChildProcess, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { buildah } from './buildah';

/** The studio's user in the image (docker/Dockerfile, ARG STUDIO_UID). */
export const studioUid = 1000;

export interface StudioContainerOptions {
    readonly image: string;
    /** Host folder mounted as the user's home (the persistent volume): workspace, databases, dot files. */
    readonly home: string;
    /** Host folder mounted at /mnt/replica and used as the replica (the bucket's place in Kubernetes). */
    readonly replica?: string;
    readonly env?: Record<string, string>;
    readonly logFile: string;
    /** Instead of the image's entrypoint under tini (the benchmark's baseline runs the backend alone). */
    readonly command?: (ports: { readonly httpPort: number; readonly backendPort: number }) => readonly string[];
}

const entrypoint = ['/usr/bin/tini', '--', '/opt/coditect/docker/entrypoint.sh'];

/**
 * The image's entrypoint running under `buildah run --isolation chroot`: the host's network (so the
 * ports are chosen free here), tini first as in the image's ENTRYPOINT, the volumes as host folders.
 * Signals go to tini, as a container runtime would send them.
 */
export class StudioContainer {
    protected readonly exit: Promise<number | null>;

    protected constructor(
        readonly name: string,
        readonly httpPort: number,
        readonly backendPort: number,
        /** The studio's local sign-in token (STUDIO_AUTH_TOKEN). */
        readonly token: string,
        protected readonly command: readonly string[],
        protected readonly process: ChildProcess,
        protected readonly startedAt: number,
        readonly logFile: string,
    ) {
        this.exit = new Promise(resolve => process.once('exit', code => resolve(code)));
    }

    get url(): string {
        return `http://127.0.0.1:${this.httpPort}`;
    }

    /** The sign-in URL of the IDE through nginx (the studio's local token; the token moves into a cookie). */
    get loginUrl(): string {
        return `${this.url}/theia/?token=${this.token}`;
    }

    static async start(options: StudioContainerOptions): Promise<StudioContainer> {
        for (const dir of [options.home, options.replica].filter((d): d is string => !!d)) {
            fs.mkdirSync(dir, { recursive: true });
            fs.chownSync(dir, studioUid, studioUid);
        }
        const [httpPort, backendPort] = [await freePort(), await freePort()];
        const name = (await buildah(['from', '--quiet', '--pull-never', options.image])).stdout.trim();
        const env: Record<string, string> = {
            STUDIO_HTTP_PORT: String(httpPort), STUDIO_BACKEND_PORT: String(backendPort), TINI_SUBREAPER: '1', ...options.env,
        };
        const volumes = ['-v', `${options.home}:/home/coditect`];
        if (options.replica) {
            volumes.push('-v', `${options.replica}:/mnt/replica`);
            env.STUDIO_REPLICA_URL ??= 'file:///mnt/replica';
        }
        const command = options.command?.({ httpPort, backendPort }) ?? entrypoint;
        const token = crypto.randomBytes(18).toString('base64url');
        env.STUDIO_AUTH_TOKEN = token;
        const startedAt = performance.now();
        // Pipes, as a container runtime gives: the container's processes reopen /dev/stdout (nginx
        // does), which a file owned by root here would refuse to the workspace user.
        const child = spawn('buildah', [
            'run', '--isolation', 'chroot', ...volumes, ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
            name, '--', ...command,
        ], { stdio: ['ignore', 'pipe', 'pipe'] });
        const log = fs.createWriteStream(options.logFile, { flags: 'a' });
        child.stdout!.pipe(log, { end: false });
        child.stderr!.pipe(log, { end: false });
        return new StudioContainer(name, httpPort, backendPort, token, command, child, startedAt, options.logFile);
    }

    /** Seconds from the start to the first 200 of /health (through nginx, unless `url` says otherwise). */
    async waitForHealthy(timeoutMs = 120_000, url = `${this.url}/health`): Promise<number> {
        const deadline = Date.now() + timeoutMs;
        let last = 'no answer yet';
        while (Date.now() < deadline) {
            if (this.process.exitCode !== null) {
                throw new Error(`the container exited (${this.process.exitCode}) before /health answered 200; see ${this.logFile}`);
            }
            try {
                const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
                if (response.status === 200) {
                    return (performance.now() - this.startedAt) / 1000;
                }
                last = `${response.status} ${await response.text()}`;
            } catch (error) {
                last = (error as Error).message;
            }
            await new Promise(r => setTimeout(r, 100));
        }
        throw new Error(`/health did not answer 200 within ${timeoutMs} ms (last: ${last}); see ${this.logFile}`);
    }

    output(): string {
        return fs.readFileSync(this.logFile, 'utf8');
    }

    /** Sends `signal` to the container's first process (tini) and waits for the container to end: its exit code and seconds. */
    async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 90_000): Promise<{ code: number | null; seconds: number }> {
        const started = performance.now();
        if (this.process.exitCode === null) {
            const tini = await this.initPid();
            process.kill(tini, signal);
        }
        const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
        const code = await this.exit;
        clearTimeout(timer);
        return { code, seconds: (performance.now() - started) / 1000 };
    }

    /** Stops it if still running (SIGKILL) and deletes the working container. */
    async remove(): Promise<void> {
        if (this.process.exitCode === null && this.process.signalCode === null) {
            await this.initPid().then(pid => process.kill(pid, 'SIGKILL'), () => undefined);
            this.process.kill('SIGKILL');
            await this.exit;
        }
        await buildah(['rm', this.name], { allowFailure: true });
    }

    /** The first process's PID on this host: with chroot isolation there is no PID namespace, so it is a descendant of `buildah run`. */
    protected async initPid(): Promise<number> {
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline) {
            // By name: the runtime may start the command by its path (`node` as /usr/local/bin/node).
            const found = descendants(this.process.pid!).find(pid => path.basename(readCmdline(pid)[0] ?? '') === path.basename(this.command[0]));
            if (found) {
                return found;
            }
            await new Promise(r => setTimeout(r, 100));
        }
        throw new Error(`${this.command[0]} did not appear under buildah run (pid ${this.process.pid}); see ${this.logFile}`);
    }
}

function readCmdline(pid: number): string[] {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
        return [];
    }
}

function descendants(root: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        try {
            // The parent PID is the 4th field, after the command in parentheses (which may hold spaces).
            const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            children.set(ppid, [...children.get(ppid) ?? [], Number(entry)]);
        } catch {
            // Gone meanwhile.
        }
    }
    const found: number[] = [];
    const queue = [root];
    while (queue.length) {
        for (const child of children.get(queue.shift()!) ?? []) {
            found.push(child);
            queue.push(child);
        }
    }
    return found;
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}
