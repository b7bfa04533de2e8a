/**
 * The session timeline's plain data: what is recorded, what queries return. Everything here
 * is JSON, so the IDE's protocol can name these types (`import type`) without loading the core.
 */

/** Every kind of event the timeline records, the archive's `kind` values (docs/timeline-archive.md). */
export const TimelineEventKinds = [
    'chat-message', 'task', 'agent-state', 'tool-call', 'model-turn', 'usage', 'file-edit', 'file-change',
    'lock', 'message', 'restart', 'definition', 'cost', 'budget', 'note', 'workflow',
] as const;
export type TimelineEventKind = typeof TimelineEventKinds[number];

export const isTimelineEventKind = (value: unknown): value is TimelineEventKind =>
    typeof value === 'string' && (TimelineEventKinds as readonly string[]).includes(value);

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A session is one studio run of the workspace (from the core's start to its stop: kind `run`),
 * or one imported transcript (kind `import`).
 */
export type SessionKind = 'run' | 'import';

/** A lane of the timeline: one agent (`id` is its id), or '' for the studio and its people. */
export interface TimelineLane {
    readonly id: string;
    readonly name: string;
}

export interface SessionInfo {
    readonly id: string;
    readonly kind: SessionKind;
    readonly title: string;
    /** Where an imported session came from: `claude-code:<file>`, `archive:<file>`. */
    readonly source?: string;
    /** Epoch ms. */
    readonly startedAt: number;
    /** Unset while a run is going on (or when it ended without stopping cleanly and was not sealed yet). */
    readonly endedAt?: number;
    readonly eventCount: number;
    /** The time of its last event. */
    readonly lastAt?: number;
    /** The lanes its events are in, in order of first appearance. */
    readonly lanes: readonly TimelineLane[];
    /** True for the run that is recording now. */
    readonly live: boolean;
}

/** What a source hands the timeline: a plain record, recorded in arrival order. */
export interface TimelineEventInput {
    readonly kind: TimelineEventKind;
    readonly agentId?: string;
    readonly taskId?: number;
    /** A workspace-relative file the event is about (edits, file tools, locks). */
    readonly path?: string;
    /** Epoch ms; default the time it was recorded. Clamped so that times never go back within a session. */
    readonly at?: number;
    readonly data: JsonObject;
}

/** A file write as it happened: both contents, so the timeline can store its diff. `undefined` means absent. */
export interface FileEditInput {
    readonly path: string;
    readonly before: string | undefined;
    readonly after: string | undefined;
    readonly agentId?: string;
    readonly taskId?: number;
    /** Who wrote it, as people read it ("Claude", "alice"). */
    readonly by?: string;
    readonly at?: number;
}

/** One event as lists show it: no payload. */
export interface TimelineEventSummary {
    /** The sequence number: unique across sessions, assigned in commit order, never reused. */
    readonly seq: number;
    /** The position in its session, from 0. */
    readonly n: number;
    readonly sessionId: string;
    readonly at: number;
    readonly kind: TimelineEventKind;
    readonly agentId?: string;
    readonly taskId?: number;
    readonly path?: string;
    /** One line for people. */
    readonly summary: string;
}

export interface TimelineEvent extends TimelineEventSummary {
    readonly data: JsonObject;
}

/** Narrows a session's events; every part given must match. */
export interface TimelineFilter {
    /** Lane ids; '' selects events without an agent. */
    readonly agents?: readonly string[];
    readonly kinds?: readonly TimelineEventKind[];
    /** A file, or a folder (everything under it). */
    readonly path?: string;
    readonly taskId?: number;
}

export interface TimelinePage {
    /** Events matching the filter in the whole session. */
    readonly total: number;
    /** The index (among matching events) of the first event returned. */
    readonly offset: number;
    readonly events: readonly TimelineEventSummary[];
}

/** A point of a session: its position `n`, a sequence number, or a time (the first event at or after it). */
export type SeekTarget = { readonly n: number } | { readonly seq: number } | { readonly at: number };

export interface SeekResult {
    /** The index among the filter's events of the first one at or after the target (`total` when none). */
    readonly index: number;
    readonly total: number;
    /** The events from there, up to the limit asked for. */
    readonly events: readonly TimelineEventSummary[];
}

/**
 * A file as it was just after event `seq` of a session, rebuilt from the session's edit diffs
 * and checked against the recorded SHA-256 after every step.
 */
export type FileState =
    | { readonly status: 'exists'; readonly path: string; readonly seq: number; readonly content: string; readonly sha256: string; readonly lastEditSeq?: number; readonly source: 'timeline' | 'workspace' }
    | { readonly status: 'absent'; readonly path: string; readonly seq: number; readonly reason: string }
    | { readonly status: 'unknown'; readonly path: string; readonly seq: number; readonly reason: string };

/** A file the session edited. */
export interface EditedFile {
    readonly path: string;
    /** Edits up to the point asked about, and in the whole session. */
    readonly editsBefore: number;
    readonly edits: number;
    readonly firstSeq: number;
    readonly lastSeq: number;
}

/** Where a task shows on the timeline: its first event. */
export interface TaskLocation {
    readonly sessionId: string;
    readonly seq: number;
    readonly n: number;
}

export type TranscriptFormat = 'claude-code' | 'archive';

/** A line of a transcript that was not imported, and why. */
export interface SkippedLine {
    /** 1-based. */
    readonly line: number;
    readonly reason: string;
}

/** Lines understood but holding nothing for the timeline (Claude Code's file-history snapshots, say), counted by type. */
export interface IgnoredLines {
    readonly type: string;
    readonly count: number;
    /** The first few line numbers. */
    readonly lines: readonly number[];
}

export interface ImportReport {
    readonly format: TranscriptFormat;
    readonly file: string;
    /** The sessions created (one per transcript; an archive may hold several). */
    readonly sessions: readonly { readonly id: string; readonly title: string; readonly events: number }[];
    readonly lines: number;
    readonly events: number;
    /** Damaged or unknown lines: reported, never silently dropped (the first 1,000 listed; `skippedCount` counts them all). */
    readonly skipped: readonly SkippedLine[];
    readonly skippedCount: number;
    readonly ignored: readonly IgnoredLines[];
    readonly durationMs: number;
}

export interface ImportProgress {
    readonly bytesRead: number;
    readonly totalBytes: number;
    readonly lines: number;
    readonly events: number;
}

/** A request the timeline cannot serve; the message says what was wrong and what to do. */
export class TimelineError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'TimelineError';
    }
}
