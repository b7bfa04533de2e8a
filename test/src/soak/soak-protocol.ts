/**
 * What the soak child (soak-child.ts) and its parent (soak-child-process.ts) say over IPC. Each
 * acknowledged write is reported exactly: its kind, what identifies it and the value it must
 * have after any crash (acked-writes-check.ts reads it back).
 */

/** A task submitted with `orchestrator.submitTask`, acknowledged on `tasks`. */
export interface AckedTask {
    readonly kind: 'task';
    readonly id: number;
    readonly prompt: string;
}

/**
 * A budget set with `costs.setBudget`, acknowledged on `metrics`. The soak only ever raises a
 * budget's limit, so after a crash its limit is at least the last acknowledged one (a later
 * write that was committed but not yet acknowledged may have survived too).
 */
export interface AckedBudget {
    readonly kind: 'budget';
    /** The budget's scope as stored (`workspace`, `agent:<id>`) and its period. */
    readonly scope: string;
    readonly period: 'day' | 'month';
    /** The limit in pico-dollars, as a decimal string (exact). */
    readonly limitPico: string;
}

/** A chat message sent with `chat.send`, acknowledged on `sessions` and `tasks`: the message and the task it became. */
export interface AckedChat {
    readonly kind: 'chat';
    readonly messageId: number;
    readonly text: string;
    readonly taskId: number;
}

/** A usage row recorded as the orchestrator records a model call's tokens (`TokenUsageRepository.record`), acknowledged on `metrics`. */
export interface AckedCost {
    readonly kind: 'cost';
    readonly taskId: number;
    /** Unique across the soak: it identifies the row. */
    readonly inputTokens: number;
    readonly outputTokens: number;
}

export type AckedWrite = AckedTask | AckedBudget | AckedChat | AckedCost;

/** Child to parent. */
export interface SoakChildMessage {
    /** The core has started (restored what was missing, replicating): how long `core.start()` took. */
    started?: { readonly startMs: number; readonly mode: string; readonly replicating: boolean; readonly restoredAtStart: string | null };
    /** A write whose acknowledgement resolved; `latencyMs` is from the call that wrote it to the acknowledgement. */
    ack?: { readonly write: AckedWrite; readonly latencyMs: number; readonly walBytes: number };
    /** An acknowledgement refused (NotDurableError): the write is committed but must not count as acknowledged. */
    refused?: string;
    /** The child failed and exits. */
    failed?: string;
}

/** Parent to child: start writing (sent once the parent has checked what the restart restored). */
export interface SoakParentMessage {
    readonly go: true;
}
