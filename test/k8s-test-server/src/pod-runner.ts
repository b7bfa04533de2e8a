/**
 * How a test makes a pod real: the server calls `start` once the pod object exists (phase
 * Pending) and reflects what the returned {@link RunningPod} does in the pod's status, the way a
 * kubelet reports its containers.
 */
export interface PodSnapshot {
    readonly namespace: string;
    readonly name: string;
    readonly uid: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    /** The pod's spec as created (a copy: changing it changes nothing). */
    readonly spec: Readonly<Record<string, unknown>>;
    /** The owning StatefulSet's name and this pod's ordinal, when a StatefulSet made it. */
    readonly statefulSet?: { readonly name: string; readonly ordinal: number };
}

export interface PodReadiness {
    podIP: string;
    port?: number;
}

export interface RunningPod {
    /** Resolves when the pod serves (→ Running, Ready); rejects when it cannot start (→ Failed, message = the error's). */
    readonly ready: Promise<PodReadiness>;
    /**
     * Optional: settles when the process ends on its own (not through `stop`). The pod becomes
     * Failed with the value (or rejection) as status.message. The StatefulSet controller does
     * not replace a Failed pod (the real one does, with backoff): a test sees why it failed.
     */
    readonly exited?: Promise<string | void>;
    /** Awaited before the pod object is removed (so a deleted pod's process is gone when DELETED is seen). */
    stop(): Promise<void>;
}

export interface PodRunner {
    start(pod: PodSnapshot): Promise<RunningPod>;
}

/** The annotation carrying the port a runner's process listens on, for a router to reach it at status.podIP. */
export const portAnnotation = 'k8s-test-server/port';
