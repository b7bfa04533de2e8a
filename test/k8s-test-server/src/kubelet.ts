import { KubeObject, thaw } from './objects';
import { PodReadiness, PodRunner, PodSnapshot, portAnnotation, RunningPod } from './pod-runner';
import { resourceTypeOf } from './resources';
import { Store } from './store';

export interface KubeletOptions {
    runner?: PodRunner;
    readyDelayMs: number;
}

interface PodProcess {
    /** The runner's handle once start() resolved (undefined without a runner or before). */
    handle?: Promise<RunningPod | undefined>;
    timer?: NodeJS.Timeout;
    stopping?: Promise<void>;
    stopRequested: boolean;
}

/**
 * The node: runs each pod (through the {@link PodRunner}, or a timer standing in for one) and
 * writes what happens into the pod's status. Deletion is graceful as for a pod bound to a node:
 * the DELETE sets deletionTimestamp (MODIFIED), the process is stopped, and only then is the
 * object removed (DELETED) — so whoever sees DELETED may rely on the process being gone.
 * Status writes name the pod by uid, so a late report about a deleted pod never lands on a new
 * pod of the same name.
 */
export class Kubelet {
    private readonly pods = new Map<string, PodProcess>();
    private readonly podType = resourceTypeOf('pods');
    private nextIp = 1;
    private stopped = false;

    constructor(private readonly store: Store, private readonly options: KubeletOptions) {
        store.listen((type, event) => {
            if (type.plural === 'pods' && event.type === 'ADDED') {
                this.start(event.object);
            }
        });
    }

    /** Marks the pod terminating and removes it once its process stopped; returns the pod as the DELETE answers it. */
    terminate(pod: KubeObject, gracePeriodSeconds = 30): KubeObject {
        if (pod.metadata.deletionTimestamp) {
            return pod;
        }
        const marked = this.store.update(this.podType, {
            ...pod,
            metadata: { ...pod.metadata, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: gracePeriodSeconds },
        });
        const { uid, namespace, name } = pod.metadata;
        void this.stopProcess(uid).then(() => {
            const current = this.store.get('pods', namespace, name);
            if (current?.metadata.uid === uid) {
                this.store.remove(this.podType, namespace, name);
            }
        });
        return marked;
    }

    /** Stops every pod's process (server shutdown); pods stay in the store. */
    async stopAll(): Promise<void> {
        this.stopped = true;
        await Promise.all([...this.pods.keys()].map(uid => this.stopProcess(uid)));
    }

    private start(pod: KubeObject): void {
        if (this.stopped) {
            return;
        }
        const uid = pod.metadata.uid;
        const process: PodProcess = { stopRequested: false };
        this.pods.set(uid, process);
        const runner = this.options.runner;
        if (!runner) {
            process.timer = setTimeout(() => {
                process.timer = undefined;
                this.running(pod, { podIP: this.fakeIp() });
            }, this.options.readyDelayMs);
            return;
        }
        const handle = runner.start(snapshot(pod)).then(
            running => running,
            (error: unknown) => {
                this.failed(pod, `the pod runner could not start the pod: ${messageOf(error)}`);
                return undefined;
            });
        process.handle = handle;
        void handle.then(running => {
            if (!running) {
                return;
            }
            running.ready.then(
                readiness => { if (!process.stopRequested) { this.running(pod, readiness); } },
                (error: unknown) => { if (!process.stopRequested) { this.failed(pod, messageOf(error)); } });
            running.exited?.then(
                reason => { if (!process.stopRequested) { this.failed(pod, reason || 'the pod\'s process exited'); } },
                (error: unknown) => { if (!process.stopRequested) { this.failed(pod, messageOf(error)); } });
        });
    }

    private stopProcess(uid: string): Promise<void> {
        const process = this.pods.get(uid);
        if (!process) {
            return Promise.resolve();
        }
        process.stopRequested = true;
        if (process.timer) {
            clearTimeout(process.timer);
        }
        process.stopping ??= (async () => {
            const running = await process.handle;
            await running?.stop();
        })().catch(() => undefined).finally(() => this.pods.delete(uid));
        return process.stopping;
    }

    private fakeIp(): string {
        const n = this.nextIp++;
        return `10.244.${(n >> 8) & 255}.${n & 255}`;
    }

    private running(pod: KubeObject, readiness: PodReadiness): void {
        const now = new Date().toISOString();
        const containers: { name: string; image?: string }[] = pod.spec?.containers ?? [];
        this.patchStatus(pod, current => {
            const metadata = { ...current.metadata };
            if (readiness.port !== undefined) {
                metadata.annotations = { ...metadata.annotations, [portAnnotation]: String(readiness.port) };
            }
            return {
                ...current,
                metadata,
                status: {
                    ...current.status,
                    phase: 'Running',
                    hostIP: '127.0.0.1',
                    podIP: readiness.podIP,
                    podIPs: [{ ip: readiness.podIP }],
                    startTime: current.status?.startTime ?? now,
                    conditions: conditions('True', now),
                    containerStatuses: containers.map(c => ({
                        name: c.name, image: c.image ?? '', imageID: '', ready: true, started: true, restartCount: 0,
                        state: { running: { startedAt: now } },
                    })),
                },
            };
        });
    }

    private failed(pod: KubeObject, message: string): void {
        const now = new Date().toISOString();
        const containers: { name: string; image?: string }[] = pod.spec?.containers ?? [];
        this.patchStatus(pod, current => ({
            ...current,
            status: {
                ...current.status,
                phase: 'Failed',
                reason: 'Error',
                message,
                startTime: current.status?.startTime ?? now,
                conditions: conditions('False', now),
                containerStatuses: containers.map(c => ({
                    name: c.name, image: c.image ?? '', imageID: '', ready: false, started: false, restartCount: 0,
                    state: { terminated: { exitCode: 1, reason: 'Error', message, finishedAt: now } },
                })),
            },
        }));
    }

    private patchStatus(pod: KubeObject, change: (current: KubeObject) => KubeObject): void {
        const current = this.store.get('pods', pod.metadata.namespace, pod.metadata.name);
        if (!current || current.metadata.uid !== pod.metadata.uid || current.metadata.deletionTimestamp) {
            return;
        }
        this.store.update(this.podType, change(current));
    }
}

function conditions(ready: 'True' | 'False', now: string): Record<string, string>[] {
    return ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map(type => ({
        type,
        status: type === 'PodScheduled' || type === 'Initialized' ? 'True' : ready,
        lastProbeTime: null as unknown as string,
        lastTransitionTime: now,
    }));
}

function snapshot(pod: KubeObject): PodSnapshot {
    const owner = pod.metadata.ownerReferences?.find(r => r.kind === 'StatefulSet' && r.controller);
    const ordinal = owner ? Number(pod.metadata.name.slice(owner.name.length + 1)) : NaN;
    return {
        namespace: pod.metadata.namespace ?? '',
        name: pod.metadata.name,
        uid: pod.metadata.uid,
        labels: { ...pod.metadata.labels },
        annotations: { ...pod.metadata.annotations },
        spec: thaw(pod.spec ?? {}),
        statefulSet: owner && Number.isInteger(ordinal) ? { name: owner.name, ordinal } : undefined,
    };
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
