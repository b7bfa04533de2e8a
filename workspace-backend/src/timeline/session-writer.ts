import { maskSecrets } from '../policy/secrets';
import { eventLine } from './archive-format';
import type { ArchiveWriter } from './archive-writer';
import { sanitize, sanitizeObject } from './event-payload';
import { summarizeEvent } from './event-summary';
import { asFileEditData, buildFileEditData, FileChain, KeyframeEvery } from './file-edit-data';
import { NewEventRow, TimelineRepository } from './timeline-repository';
import type { FileEditInput, JsonObject, SessionInfo, TimelineEventInput, TimelineEventSummary, TimelineLane } from './timeline-types';

/** One thing to write: an event, a file edit (diffed here), or an event whose payload is already clean (an archive's). */
export type WriterInput =
    | { readonly type: 'event'; readonly event: TimelineEventInput }
    | { readonly type: 'file-edit'; readonly edit: FileEditInput }
    | { readonly type: 'archived'; readonly event: TimelineEventInput & { readonly seq?: number } };

export interface SessionWriterOptions {
    /** Values masked out of every payload, read once per batch. */
    readonly secrets: () => readonly string[];
    /** The name of an agent's lane; default its id. */
    readonly laneName?: (agentId: string) => string | undefined;
    readonly now?: () => number;
}

/** Keys of a file edit whose strings are kept whole (they have their own size limit). */
const FileContentKeys: ReadonlySet<string> = new Set(['content', 'patch']);

const normalisePath = (p: string | undefined): string | undefined => {
    const clean = p?.trim().replace(/\\/g, '/').replace(/^\.\/+/, '');
    return clean ? clean : undefined;
};

/**
 * Writes one session's events: positions, clamped times, masked and capped payloads, summaries,
 * file-edit diffs chained per file, lanes; then one transaction, then the archive.
 *
 * Invariants:
 * - The session has one writer, so positions `n` are dense (0, 1, …) and follow sequence order.
 * - Times never go back within a session (`at` is clamped to the last one).
 * - A batch is all or nothing: when its transaction fails, positions, times, lanes and edit
 *   chains are as they were before it, and the error is thrown.
 * - The archive gets a batch's lines only after the database committed them, in the same order.
 */
export class SessionWriter {
    protected nextN: number;
    protected lastAt: number;
    protected lanes: TimelineLane[];
    protected readonly chains = new Map<string, FileChain>();
    /** A session that started empty here needs no look-ups for its files' last edits. */
    protected readonly fresh: boolean;

    constructor(protected readonly repo: TimelineRepository, readonly session: SessionInfo, protected readonly archive: ArchiveWriter | undefined, protected readonly options: SessionWriterOptions) {
        this.nextN = session.eventCount;
        this.lastAt = session.lastAt ?? session.startedAt;
        this.lanes = [...session.lanes];
        this.fresh = session.eventCount === 0;
    }

    get sessionId(): string {
        return this.session.id;
    }

    get eventCount(): number {
        return this.nextN;
    }

    get lastEventAt(): number {
        return this.lastAt;
    }

    get currentLanes(): readonly TimelineLane[] {
        return this.lanes;
    }

    write(inputs: readonly WriterInput[]): TimelineEventSummary[] {
        if (inputs.length === 0) {
            return [];
        }
        const saved = { nextN: this.nextN, lastAt: this.lastAt, lanes: this.lanes };
        const secrets = this.options.secrets();
        const rows: NewEventRow[] = [];
        let lanesChanged = false;
        try {
            for (const input of inputs) {
                const row = this.prepare(input, secrets);
                if (row.agentId !== undefined && !this.lanes.some(l => l.id === row.agentId)) {
                    this.lanes = [...this.lanes, { id: row.agentId, name: this.options.laneName?.(row.agentId) ?? row.agentId }];
                    lanesChanged = true;
                }
                rows.push(row);
            }
            const seqs = this.repo.db.transaction(tx => {
                const assigned = this.repo.insertEvents(tx, this.session.id, rows);
                this.repo.updateSessionProgress(tx, this.session.id, this.nextN, this.lastAt, lanesChanged ? this.lanes : undefined);
                return assigned;
            });
            const summaries = rows.map((r, i): TimelineEventSummary => ({
                seq: seqs[i], n: r.n, sessionId: this.session.id, at: r.at, kind: r.kind,
                ...(r.agentId !== undefined ? { agentId: r.agentId } : {}), ...(r.taskId !== undefined ? { taskId: r.taskId } : {}),
                ...(r.path !== undefined ? { path: r.path } : {}), summary: r.summary,
            }));
            this.archive?.append(this.session.id, summaries.map((s, i) => eventLine(this.session.id, s, rows[i].dataJson)), lanesChanged ? this.lanes : undefined);
            return summaries;
        } catch (error) {
            this.nextN = saved.nextN;
            this.lastAt = saved.lastAt;
            this.lanes = saved.lanes;
            // Chains may have moved past edits that were not stored: re-read them from the database.
            this.chains.clear();
            throw error;
        }
    }

    protected prepare(input: WriterInput, secrets: readonly string[]): NewEventRow {
        const now = this.options.now?.() ?? Date.now();
        const at = Math.max(this.lastAt, Math.trunc(input.type === 'file-edit' ? input.edit.at ?? now : input.event.at ?? now));
        const n = this.nextN;
        let row: NewEventRow;
        if (input.type === 'file-edit') {
            const edit = input.edit;
            const path = normalisePath(maskSecrets(edit.path, secrets))!;
            // Masked before diffing: the diff, hashes and rebuilds then agree with what is stored.
            const mask = (text: string | undefined) => (text === undefined ? undefined : maskSecrets(text, secrets));
            const { data, chain } = buildFileEditData({ path, before: mask(edit.before), after: mask(edit.after), by: edit.by && maskSecrets(edit.by, secrets) }, this.chainOf(path));
            this.chains.set(path, chain);
            const clean = JSON.parse(JSON.stringify(data)) as JsonObject;
            row = { n, kind: 'file-edit', agentId: edit.agentId, taskId: edit.taskId, path, summary: summarizeEvent('file-edit', clean, undefined, edit.agentId), dataJson: JSON.stringify(clean), at };
        } else {
            const event = input.event;
            const data = input.type === 'archived' && event.kind === 'file-edit'
                ? sanitize(event.data, secrets, { uncapped: FileContentKeys }) as JsonObject
                : sanitizeObject(event.data, secrets);
            const path = normalisePath(event.path && maskSecrets(event.path, secrets));
            if (event.kind === 'file-edit' && path !== undefined) {
                // An archived edit continues its file's chain as stored.
                const after = asFileEditData(data)?.after;
                this.chains.set(path, { afterSha256: after?.sha256, editsSinceKeyframe: after?.content !== undefined ? 0 : KeyframeEvery - 1 });
            }
            row = {
                ...(input.type === 'archived' && input.event.seq !== undefined ? { seq: input.event.seq } : {}),
                n, kind: event.kind, agentId: event.agentId || undefined, taskId: Number.isSafeInteger(event.taskId) ? event.taskId : undefined, path,
                summary: summarizeEvent(event.kind, data, path, event.agentId || undefined), dataJson: JSON.stringify(data), at,
            };
        }
        this.nextN = n + 1;
        this.lastAt = at;
        return row;
    }

    /** What the session last recorded for `path`: from memory, else (a session continued) from its last stored edit. */
    protected chainOf(path: string): FileChain | undefined {
        const known = this.chains.get(path);
        if (known || this.fresh) {
            return known;
        }
        const last = this.repo.lastEdit(this.session.id, path);
        const data = last && asFileEditData(JSON.parse(last.dataJson) as JsonObject);
        // How many edits since the last keyframe is not stored: make the next edit one.
        return data && { afterSha256: data.after?.sha256, editsSinceKeyframe: KeyframeEvery - 1 };
    }
}
