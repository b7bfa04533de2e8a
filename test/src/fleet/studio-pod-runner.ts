import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PodReadiness, PodRunner, PodSnapshot, RunningPod } from '@coditect/k8s-test-server';
import { launchStudio } from '../lib/studio-process';

export interface StudioPodRunnerOptions {
    /** The built Theia application (browser-app). */
    readonly appDir: string;
    /** Each pod's volume claim: `<volumesDir>/<pod name>/{workspace,data}`, kept when the pod goes, as a PVC is. */
    readonly volumesDir: string;
    /** The studio's environment (its authentication) instead of the image's, which needs the cluster's bucket and identity provider. */
    readonly env: NodeJS.ProcessEnv;
    /** Every pod listens on this port of its own loopback address (127.0.0.10, .11, …), as pods share a container port. */
    readonly port: number;
}

/**
 * The Kubernetes test server's pods, run as the studio's real backend: each pod is a studio
 * process on its own loopback address, ready once its /health says ready (the template's
 * readiness probe: the core started, its databases open), stopped with SIGTERM
 * (its shutdown, as the kubelet does it), its folders kept across restarts like the pod's volume.
 */
export class StudioPodRunner implements PodRunner {
    protected nextAddress = 10;
    readonly started: string[] = [];

    constructor(protected readonly options: StudioPodRunnerOptions) { }

    async start(pod: PodSnapshot): Promise<RunningPod> {
        const address = `127.0.0.${this.nextAddress++}`;
        const volume = path.join(this.options.volumesDir, pod.name);
        const workspaceDir = path.join(volume, 'workspace');
        fs.mkdirSync(workspaceDir, { recursive: true });
        this.started.push(pod.name);
        const launching = launchStudio({
            appDir: this.options.appDir, workspaceDir, dataDir: path.join(volume, 'data'), hostname: address, port: this.options.port,
            env: this.options.env, logName: `fleet-pod-${pod.name}`, timeoutMs: 120_000,
        });
        const ready = launching.then(async (studio): Promise<PodReadiness> => {
            for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise(r => setTimeout(r, 200))) {
                const ready = await fetch(`${studio.url}/health`).then(r => r.ok, () => false);
                if (ready) {
                    return { podIP: address, port: this.options.port };
                }
            }
            throw new Error(`the studio of pod ${pod.name} was not ready (GET /health) within 90 s; see ${studio.logFile}`);
        });
        let stopping = false;
        // Only an exit of its own fails the pod: one `stop` asked for is the pod's end.
        const exited = launching.then(studio => new Promise<string>(resolve => studio.process.once('exit', (code, signal) => {
            if (!stopping) {
                resolve(`the studio exited (${signal ?? code})`);
            }
        })));
        return {
            ready, exited,
            stop: async () => {
                stopping = true;
                const studio = await launching.catch(() => undefined);
                await studio?.stop();
            },
        };
    }
}
