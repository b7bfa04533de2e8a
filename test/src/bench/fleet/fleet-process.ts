import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { K8sTestServer } from '@coditect/k8s-test-server';
import { SignJWT } from 'jose';
import { repoRoot } from '../../lib/repo-paths';
import { logEventOf } from '@coditect/workspace-backend';

/** The identity provider of the benchmarks' fleets and studios: one shared secret. */
export const BenchAuth = { secret: 'the-fleet-bench-secret-of-32-characters', audience: 'coditect-studio' } as const;

export const BenchNamespace = 'coditect';

/** A person's token from the benchmarks' identity provider. */
export function benchToken(sub: string, role: 'admin' | 'developer'): Promise<string> {
    return new SignJWT({ sub, role }).setProtectedHeader({ alg: 'HS256' }).setAudience(BenchAuth.audience)
        .setExpirationTime(Math.floor(Date.now() / 1000) + 3600).sign(new TextEncoder().encode(BenchAuth.secret));
}

/** The fleet service as it runs: its own process (so its memory is its own), on the test server, with `env` over the defaults. */
export async function startFleetProcess(server: K8sTestServer, dir: string, env: NodeJS.ProcessEnv = {}): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
    const kubeconfig = path.join(dir, 'kubeconfig');
    server.writeKubeconfig(kubeconfig, BenchNamespace);
    const child = spawn(process.execPath, [path.join(repoRoot, 'workspace-backend', 'lib', 'fleet', 'fleet-main.js')], {
        env: {
            ...process.env, KUBECONFIG: kubeconfig, FLEET_NAMESPACE: BenchNamespace, FLEET_PORT: '0', FLEET_IDLE_MINUTES: '0', FLEET_READY_TIMEOUT_S: '150',
            STUDIO_AUTH_JWT_SECRET: BenchAuth.secret, STUDIO_AUTH_AUDIENCE: BenchAuth.audience, ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
        let seen = '';
        child.stdout!.on('data', chunk => {
            seen += String(chunk);
            const served = logEventOf(seen, 'serving')?.url;
            if (typeof served === 'string') {
                resolve(served);
            }
        });
        child.stderr!.on('data', chunk => seen += String(chunk));
        child.once('exit', code => reject(new Error(`the fleet exited (${code}): ${seen}`)));
    });
    return {
        url, pid: child.pid!,
        stop: async () => {
            const exited = new Promise(resolve => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
        },
    };
}
