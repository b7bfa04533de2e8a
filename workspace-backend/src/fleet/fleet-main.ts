#!/usr/bin/env node
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { openObjectStore } from '../object-store/object-store-url';
import { JwtConfigError, JwtVerifier, resolveJwtConfig } from '../policy/jwt-verifier';
import { archiveInBucket } from './fleet-archive';
import { FleetConfig, FleetConfigError, resolveFleetConfig } from './fleet-config';
import { FleetHttpApi } from './fleet-http-api';
import { FleetMetrics } from './fleet-metrics';
import { FleetRegistry } from './fleet-registry';
import { FleetService } from './fleet-service';
import { fleetCredential } from './fleet-credential';
import { IdleSweeper } from './idle-sweeper';
import { V1Gateway } from './v1-gateway';
import { WakeRouter } from './wake-router';
import { WarmPool } from './warm-pool';
import type { WorkspaceInfo } from './workspace-info';
import { readWorkspaceTemplate } from './workspace-manifests';
import { createStudioLogger, StructuredLog } from '../telemetry/logger';

/** A running fleet service: its API's URL, and how to stop it. */
export interface RunningFleet {
    readonly url: string;
    readonly service: FleetService;
    readonly registry: FleetRegistry;
    /** Undefined when auto-sleep is off (`idleMinutes` 0). */
    readonly sweeper: IdleSweeper | undefined;
    /** Undefined without a warm pool (`warmPool` 0). */
    readonly warmPool: WarmPool | undefined;
    /** What the API's /metrics exports. */
    readonly metrics: FleetMetrics;
    stop(): Promise<void>;
}

export interface StartFleetOptions {
    /** The process_* and nodejs_* metrics (default on); specs starting several fleets in one process turn them off. */
    readonly processMetrics?: boolean;
    /** Where the fleet logs (route changes, problems); by default JSON lines on stdout, as service `coditect-fleet`. */
    readonly log?: StructuredLog;
}

let fleetLogger: StructuredLog | undefined;

/** The `event` of the log line that says the fleet serves, and where (its `url`): what a supervisor starting it on port 0 reads (`logEventOf`). */
export const FleetServingEvent = 'serving';

/** The fleet's own log: JSON lines on stdout (telemetry/logger.ts), secrets masked. */
function fleetLog(): StructuredLog {
    fleetLogger ??= createStudioLogger({ service: 'coditect-fleet' });
    return fleetLogger;
}

/**
 * Starts the fleet: the registry's informers first (every workspace known before the API answers),
 * then the API. `kubeConfig`: the cluster's (in a pod, its service account; else KUBECONFIG).
 */
export async function startFleet(config: FleetConfig, verifier: JwtVerifier, kubeConfig: KubeConfig, host?: string, options: StartFleetOptions = {}): Promise<RunningFleet> {
    const log = options.log ?? fleetLog();
    const template = readWorkspaceTemplate(path.join(config.templateDir, 'statefulset.yaml'), path.join(config.templateDir, 'service.yaml'));
    const registry = new FleetRegistry(kubeConfig, { namespace: config.namespace, baseUrl: config.baseUrl });
    await registry.start();
    const metrics = new FleetMetrics({ processMetrics: options.processMetrics });
    metrics.observeWorkspaces(registry);
    const service = new FleetService(kubeConfig, registry, {
        namespace: config.namespace, template, bucket: config.bucket, bucketRoot: config.bucketRoot, image: config.image,
        readyTimeoutMs: config.readyTimeoutMs, stopTimeoutMs: config.stopTimeoutMs,
        archive: config.bucketUrl ? archiveInBucket(openObjectStore(config.bucketUrl)) : undefined,
        onRouteChange: change => log.info({ workspace: change.id, from: change.from, to: change.to, by: change.by },
            `workspace ${change.id} (v1 user ${change.v1User}): route ${change.from} → ${change.to}, by ${change.by}`),
        metrics,
    });
    const workspaceUrl = (workspace: WorkspaceInfo) => workspace.podIP && config.workspaceUrlTemplate
        .replace('{podIP}', workspace.podIP).replace('{id}', workspace.id).replace('{namespace}', config.namespace);
    const sweeper = config.idleMinutes > 0 ? new IdleSweeper(registry, service, {
        idleMinutes: config.idleMinutes, intervalMs: config.sweepIntervalMs,
        healthUrl: workspace => {
            const url = workspaceUrl(workspace);
            return url && `${url}/health`;
        },
        credential: fleetCredential(verifier.config, config.workspaceTokenFile),
        onProblem: (workspace, problem) => log.warn({ workspace: workspace.id }, `workspace ${workspace.id}: ${problem}`),
        metrics,
    }) : undefined;
    sweeper?.start();
    const warmPool = config.warmPool > 0 ? new WarmPool(registry, service, {
        count: config.warmPool, size: config.warmPoolSize,
        onProblem: problem => log.warn({}, problem),
    }) : undefined;
    warmPool?.start();
    const router = new WakeRouter(registry, service, verifier, {
        prefix: new URL(config.baseUrl).pathname, upstream: workspaceUrl, wakeTimeoutMs: config.readyTimeoutMs, v1Path: config.v1Path, metrics,
    });
    const gateway = config.v1Url ? new V1Gateway(registry, verifier, { path: config.v1Path, upstream: config.v1Url }) : undefined;
    const api = new FleetHttpApi(service, verifier, router, gateway, { metrics, metricsToken: config.metricsToken });
    const url = await api.listen(config.port, host);
    return {
        url, service, registry, sweeper, warmPool, metrics,
        stop: async () => {
            await api.close();
            await warmPool?.stop();
            await sweeper?.stop();
            await registry.stop();
        },
    };
}

async function main(): Promise<void> {
    let config: FleetConfig;
    let verifier: JwtVerifier;
    try {
        config = resolveFleetConfig();
        verifier = new JwtVerifier(resolveJwtConfig());
    } catch (error) {
        if (error instanceof FleetConfigError || error instanceof JwtConfigError) {
            fleetLog().error({}, error.message);
            process.exit(2);
        }
        throw error;
    }
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromDefault();
    const fleet = await startFleet(config, verifier, kubeConfig);
    fleetLog().info({ event: FleetServingEvent, url: fleet.url, namespace: config.namespace, workspaces: fleet.registry.list().length },
        `serving ${fleet.registry.list().length} workspace(s) of namespace ${config.namespace} at ${fleet.url}`);
    const stop = () => {
        fleet.stop().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
}

if (require.main === module) {
    main().catch(error => {
        fleetLog().error({}, (error as Error).message);
        process.exit(1);
    });
}
