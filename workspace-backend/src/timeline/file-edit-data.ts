import { createHash } from 'node:crypto';
import { applyPatch, createTwoFilesPatch } from 'diff';
import type { JsonObject } from './timeline-types';

/** A file larger than this is recorded by its hashes only: its content is not kept. */
export const MaxRecordedFileBytes = 1024 * 1024;
/** Every this many edits of a file, its whole content is kept, so a rebuild applies at most this many patches. */
export const KeyframeEvery = 32;
/** Diffs that would take longer are given up, and the edit keeps the whole content instead. */
const DiffTimeoutMs = 250;

export interface ContentSide {
    readonly sha256: string;
    readonly bytes: number;
    /** Present when this side is kept whole: a base (`before`) or a keyframe (`after`). */
    readonly content?: string;
}

/**
 * The `data` of a `file-edit` event (archive schema v1). Invariant: the content after the edit
 * is either `after.content`, or `patch` applied to the content before it; and the content before
 * it is `before.content` when present, else the previous edit's `after` in the same session
 * (the writer checks the chain by hash and keeps a new base when it is broken).
 */
export interface FileEditData {
    readonly path: string;
    readonly change: 'create' | 'modify' | 'delete';
    readonly by?: string;
    /** Absent when the file did not exist before (create). */
    readonly before?: ContentSide;
    /** Absent when the edit deleted the file. */
    readonly after?: ContentSide;
    /** Unified diff, before to after (3 lines of context). */
    readonly patch?: string;
    readonly added: number;
    readonly removed: number;
    /** Why the contents are not recorded (too large); the file cannot be rebuilt across this edit. */
    readonly omitted?: string;
}

export const sha256Of = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** What the writer remembers of a file between edits of one session. */
export interface FileChain {
    /** The hash after the last recorded edit (undefined: the file was deleted). */
    readonly afterSha256: string | undefined;
    readonly editsSinceKeyframe: number;
}

/**
 * Builds the `data` of one edit. `chain` is what the session last recorded for the path
 * (undefined for its first edit): when the file's content before this edit is not what was
 * recorded after the last one (someone changed it outside the recorded edits), the full
 * content before is kept as a new base.
 */
export function buildFileEditData(input: { path: string; before: string | undefined; after: string | undefined; by?: string }, chain: FileChain | undefined): { data: FileEditData; chain: FileChain } {
    const { path, before, after } = input;
    const beforeSha = before === undefined ? undefined : sha256Of(before);
    const afterSha = after === undefined ? undefined : sha256Of(after);
    const change = before === undefined ? 'create' : after === undefined ? 'delete' : 'modify';
    const beforeBytes = before === undefined ? 0 : Buffer.byteLength(before);
    const afterBytes = after === undefined ? 0 : Buffer.byteLength(after);
    const side = (sha: string | undefined, bytes: number, content?: string): ContentSide | undefined =>
        sha === undefined ? undefined : { sha256: sha, bytes, ...(content !== undefined ? { content } : {}) };

    if (beforeBytes > MaxRecordedFileBytes || afterBytes > MaxRecordedFileBytes) {
        return {
            data: {
                path, change, by: input.by, before: side(beforeSha, beforeBytes), after: side(afterSha, afterBytes), added: 0, removed: 0,
                omitted: `the file is larger than ${MaxRecordedFileBytes} bytes; its content is not recorded`,
            },
            chain: { afterSha256: afterSha, editsSinceKeyframe: 0 },
        };
    }
    const chained = chain !== undefined && chain.afterSha256 === beforeSha;
    const needsBase = before !== undefined && !chained;
    const oldText = before ?? '';
    const newText = after ?? '';
    const patch = createTwoFilesPatch(path, path, oldText, newText, undefined, undefined, { context: 3, timeout: DiffTimeoutMs });
    let added = 0;
    let removed = 0;
    if (patch !== undefined) {
        // Counted inside the hunks only: the header's ---/+++ lines are not changes.
        let inHunks = false;
        for (const line of patch.split('\n')) {
            if (line.startsWith('@@')) {
                inHunks = true;
            } else if (inHunks && line.startsWith('+')) {
                added++;
            } else if (inHunks && line.startsWith('-')) {
                removed++;
            }
        }
    }
    // The patch must rebuild exactly what was written; when it does not (or the diff gave up),
    // the content after is kept whole instead.
    const patchRebuilds = patch !== undefined && applyPatch(oldText, patch, { autoConvertLineEndings: false }) === newText;
    const editsSinceKeyframe = needsBase ? 1 : (chain?.editsSinceKeyframe ?? 0) + 1;
    const keyframe = after !== undefined && (!patchRebuilds || editsSinceKeyframe >= KeyframeEvery);
    const data: FileEditData = {
        path, change, by: input.by,
        before: side(beforeSha, beforeBytes, needsBase ? before : undefined),
        after: side(afterSha, afterBytes, keyframe ? after : undefined),
        ...(patchRebuilds ? { patch } : {}),
        added, removed,
    };
    return { data, chain: { afterSha256: afterSha, editsSinceKeyframe: keyframe ? 0 : editsSinceKeyframe } };
}

/** Reads a stored `file-edit` data object back, checking the parts reconstruction relies on. */
export function asFileEditData(data: JsonObject): FileEditData | undefined {
    const d = data as unknown as FileEditData;
    if (typeof d.path !== 'string' || (d.change !== 'create' && d.change !== 'modify' && d.change !== 'delete')) {
        return undefined;
    }
    const sideOk = (s: ContentSide | undefined) => s === undefined || (typeof s.sha256 === 'string' && (s.content === undefined || typeof s.content === 'string'));
    return sideOk(d.before) && sideOk(d.after) && (d.patch === undefined || typeof d.patch === 'string') ? d : undefined;
}

/** The content after `edit`, given the content before it; undefined when the file was deleted; throws when it cannot be rebuilt. */
export function applyFileEdit(before: string | undefined, edit: FileEditData, seq: number): string | undefined {
    if (edit.omitted) {
        throw new Error(`edit #${seq} of ${edit.path} was not recorded in full (${edit.omitted})`);
    }
    if (edit.after === undefined) {
        return undefined;
    }
    if (edit.after.content !== undefined) {
        return edit.after.content;
    }
    if (edit.patch === undefined) {
        throw new Error(`edit #${seq} of ${edit.path} has neither a patch nor the content after it`);
    }
    const result = applyPatch(before ?? '', edit.patch, { autoConvertLineEndings: false });
    if (result === false) {
        throw new Error(`the patch of edit #${seq} does not apply to ${edit.path} as rebuilt from the earlier edits`);
    }
    if (sha256Of(result) !== edit.after.sha256) {
        throw new Error(`${edit.path} rebuilt at edit #${seq} does not match the recorded SHA-256 ${edit.after.sha256.slice(0, 12)}…`);
    }
    return result;
}
