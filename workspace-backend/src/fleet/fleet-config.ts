import * as path from 'node:path';
import { metricsTokenFromEnv } from '../telemetry/scrape-token';
import { isWorkspaceSize, WorkspaceSizeName, WorkspaceSizes } from './workspace-manifests';

/** Where the fleet works, from FLEET_* (operator docs: docs/fleet.md). */
export interface FleetConfig {
    /** The namespace every workspace's objects are in. */
    readonly namespace: string;
    /** A workspace's URL is `<baseUrl>/<id>/`. */
    readonly baseUrl: string;
    /** The folder with the workspace template: statefulset.yaml and service.yaml (docker/k8s). */
    readonly templateDir: string;
    /** The bucket every workspace's folder is in, the folder above theirs, and the bucket as an object store URL (gs://…, file://…) for archive records. */
    readonly bucket: string;
    readonly bucketRoot: string;
    readonly bucketUrl?: string;
    readonly image?: string;
    readonly port: number;
    readonly readyTimeoutMs: number;
    readonly stopTimeoutMs: number;
    /** Auto-sleep: a workspace idle this long is stopped (0: never). */
    readonly idleMinutes: number;
    readonly sweepIntervalMs: number;
    /** Where a workspace's studio serves (its /health too), from its pod: `{podIP}`, `{id}` and `{namespace}` are filled in. */
    readonly workspaceUrlTemplate: string;
    /** The warm pool: how many unclaimed workspaces to keep ready (0: none), and their size. */
    readonly warmPool: number;
    readonly warmPoolSize: WorkspaceSizeName;
    /** A file with an admin token from the identity provider, for the studios' /health (needed without a shared secret). */
    readonly workspaceTokenFile?: string;
    /** The CODITECT v1 application, for the v1 gateway (v1-gateway.ts); undefined: the fleet serves no v1 front door. */
    readonly v1Url?: string;
    /** The v1 front door's path: the gateway serves it and everything under it. */
    readonly v1Path: string;
    /** The bearer token Prometheus scrapes /metrics with (STUDIO_METRICS_TOKEN); undefined: only an admin's token reads /metrics. */
    readonly metricsToken?: string;
}

export class FleetConfigError extends Error { }

/** The repository's docker/k8s, from lib/fleet/ (the image keeps the same layout). */
const DefaultTemplateDir = path.resolve(__dirname, '..', '..', '..', 'docker', 'k8s');

export function resolveFleetConfig(env: NodeJS.ProcessEnv = process.env): FleetConfig {
    const baseUrl = env.FLEET_BASE_URL || 'https://coditect.ai/theia';
    try {
        new URL(baseUrl);
    } catch {
        throw new FleetConfigError(`FLEET_BASE_URL must be a URL such as https://coditect.ai/theia, not "${baseUrl}".`);
    }
    const namespace = env.FLEET_NAMESPACE || 'coditect';
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
        throw new FleetConfigError(`FLEET_NAMESPACE must be a Kubernetes namespace name (lower-case letters, digits, "-"), not "${namespace}".`);
    }
    const warmPoolSize = env.FLEET_WARM_POOL_SIZE || 'small';
    if (!isWorkspaceSize(warmPoolSize)) {
        throw new FleetConfigError(`FLEET_WARM_POOL_SIZE must be a workspace size (${Object.keys(WorkspaceSizes).join(', ')}), not "${warmPoolSize}".`);
    }
    const v1Url = env.FLEET_V1_URL ? env.FLEET_V1_URL.replace(/\/+$/, '') : undefined;
    if (v1Url !== undefined && !/^https?:$/.test(safeUrl(v1Url)?.protocol ?? '')) {
        throw new FleetConfigError(`FLEET_V1_URL must be the v1 application's http(s) URL such as http://v1-app.internal:8080, not "${env.FLEET_V1_URL}".`);
    }
    const v1Path = (env.FLEET_V1_PATH || '/app').replace(/\/+$/, '');
    const routerPath = new URL(baseUrl).pathname.replace(/\/+$/, '');
    // The fleet's own paths stay its own: the API's, its probe's, its metrics' and the wake router's.
    const clashes = ['/workspaces', '/healthz', '/metrics', ...routerPath ? [routerPath] : []].some(own => within(v1Path, own) || within(own, v1Path));
    if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(v1Path) || clashes) {
        throw new FleetConfigError(`FLEET_V1_PATH must be a path such as /app, apart from /workspaces, /healthz, /metrics and FLEET_BASE_URL's ${routerPath || '/'}, not "${env.FLEET_V1_PATH}".`);
    }
    let metricsToken: string | undefined;
    try {
        metricsToken = metricsTokenFromEnv(env);
    } catch (error) {
        throw new FleetConfigError((error as Error).message);
    }
    return {
        namespace, baseUrl: baseUrl.replace(/\/+$/, ''),
        templateDir: env.FLEET_TEMPLATE_DIR || DefaultTemplateDir,
        bucket: env.FLEET_BUCKET || 'coditect-workspaces',
        bucketRoot: (env.FLEET_BUCKET_ROOT || 'workspaces').replace(/^\/+|\/+$/g, ''),
        bucketUrl: env.FLEET_BUCKET_URL || undefined,
        image: env.FLEET_IMAGE || undefined,
        port: whole(env, 'FLEET_PORT', 8090, 0, 65535),
        readyTimeoutMs: whole(env, 'FLEET_READY_TIMEOUT_S', 60, 1, 3600) * 1000,
        stopTimeoutMs: whole(env, 'FLEET_STOP_TIMEOUT_S', 90, 1, 3600) * 1000,
        idleMinutes: whole(env, 'FLEET_IDLE_MINUTES', 30, 0, 10_080),
        sweepIntervalMs: whole(env, 'FLEET_SWEEP_INTERVAL_S', 60, 1, 3600) * 1000,
        // The studio's container port (nginx, docker/k8s/statefulset.yaml), which serves /health too.
        workspaceUrlTemplate: (env.FLEET_WORKSPACE_URL || 'http://{podIP}:8080').replace(/\/+$/, ''),
        workspaceTokenFile: env.FLEET_WORKSPACE_TOKEN_FILE || undefined,
        warmPool: whole(env, 'FLEET_WARM_POOL', 0, 0, 1000),
        warmPoolSize,
        v1Url, v1Path,
        ...metricsToken ? { metricsToken } : {},
    };
}

/** True when `path` is `under` or a path below it. */
function within(path: string, under: string): boolean {
    return path === under || path.startsWith(`${under}/`);
}

function safeUrl(text: string): URL | undefined {
    try {
        return new URL(text);
    } catch {
        return undefined;
    }
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
    const value = env[name];
    if (value === undefined || value === '') {
        return fallback;
    }
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
        throw new FleetConfigError(`${name} must be a whole number from ${min} to ${max}, not "${value}".`);
    }
    return n;
}
