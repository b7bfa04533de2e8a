import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { K8sTestServer } from '@coditect/k8s-test-server';
import { SignJWT } from 'jose';
import { JwtVerifier } from '../policy/jwt-verifier';
import { resolveFleetConfig } from './fleet-config';
import { RunningFleet, startFleet } from './fleet-main';
import type { StructuredLog } from '../telemetry/logger';

/** What the fleet's specs share: a fleet on the Kubernetes test server, its people's tokens, its API. */
const secret = 'the-fleet-test-secret-of-32-characters';

/** The identity provider's token for a person. */
export function fleetTokenOf(sub: string, role: 'admin' | 'developer'): Promise<string> {
    return new SignJWT({ sub, role }).setProtectedHeader({ alg: 'HS256' }).setAudience('coditect-studio')
        .setExpirationTime(Math.floor(Date.now() / 1000) + 600).sign(new TextEncoder().encode(secret));
}

export interface TestFleet {
    readonly fleet: RunningFleet;
    /** The folder standing for the bucket (archives land there). */
    readonly bucketDir: string;
    /** Calls the fleet's API as the holder of `token`; the answer's body parsed. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer of the API: a workspace, a list or an error, read field by field
    call(method: string, route: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: any }>;
    stop(): Promise<void>;
}

/** A fleet service on `server`'s `namespace`, configured by FLEET_* `env` over short test timeouts. */
export async function startTestFleet(server: K8sTestServer, namespace: string, env: NodeJS.ProcessEnv = {}, log?: StructuredLog): Promise<TestFleet> {
    const bucketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-bucket-'));
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(server.kubeconfig(namespace));
    const config = {
        ...resolveFleetConfig({ FLEET_NAMESPACE: namespace, FLEET_BASE_URL: 'https://coditect.test/theia', FLEET_READY_TIMEOUT_S: '20', FLEET_STOP_TIMEOUT_S: '20', ...env }),
        port: 0, bucketUrl: `file://${bucketDir}`,
    };
    const verifier = new JwtVerifier({ key: { kind: 'secret', secret: new TextEncoder().encode(secret) }, audience: 'coditect-studio', header: 'authorization', roleClaim: 'role' });
    // No process metrics: they watch the whole process, once per fleet, and the specs start several.
    const fleet = await startFleet(config, verifier, kubeConfig, '127.0.0.1', { processMetrics: false, ...(log ? { log } : {}) });
    return {
        fleet, bucketDir,
        call: async (method, route, token, body) => {
            const response = await fetch(`${fleet.url}${route}`, {
                method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
                body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
            });
            const text = await response.text();
            return { status: response.status, body: text ? JSON.parse(text) : undefined };
        },
        stop: async () => {
            await fleet.stop();
            fs.rmSync(bucketDir, { recursive: true, force: true });
        },
    };
}
