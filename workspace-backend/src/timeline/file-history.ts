import { WorkspacePathError, WorkspacePaths } from '../policy/workspace-paths';
import * as fs from 'node:fs';
import { applyFileEdit, asFileEditData, FileEditData, sha256Of } from './file-edit-data';
import type { TimelineRepository } from './timeline-repository';
import type { FileState, JsonObject } from './timeline-types';

/** Edits read per query while walking back to a base; a keyframe is at most KeyframeEvery edits back. */
const Window = 64;

interface StoredEdit {
    readonly seq: number;
    readonly data: FileEditData | undefined;
}

const parse = (row: { seq: number; dataJson: string }): StoredEdit => ({ seq: row.seq, data: asFileEditData(JSON.parse(row.dataJson) as JsonObject) });

/** An edit from which the content can be known without earlier ones: it keeps the content after it, or before it, or created the file. */
const isStart = (e: StoredEdit): boolean =>
    e.data === undefined || e.data.omitted !== undefined || e.data.after?.content !== undefined || e.data.before?.content !== undefined || e.data.change === 'create';

/**
 * Rebuilds a file as it was just after event `seq` of a session, from the session's file-edit
 * events: back to the nearest base or keyframe, then forward through the patches, checking the
 * SHA-256 recorded after every edit. A file the session never edited is read from the
 * workspace (when one is given): nothing recorded changed it.
 */
export function fileStateAt(repo: TimelineRepository, sessionId: string, filePath: string, seq: number, workspaceDir?: string): FileState {
    // Newest first, back to the latest edit the content can be known from.
    const back: StoredEdit[] = [];
    let cursor = seq;
    walk: for (;;) {
        const batch = repo.editsBackFrom(sessionId, filePath, cursor, Window).map(parse);
        for (const edit of batch) {
            back.push(edit);
            if (isStart(edit)) {
                break walk;
            }
        }
        if (batch.length < Window) {
            break;
        }
        cursor = batch[batch.length - 1].seq - 1;
    }
    const chain = back.reverse();
    if (chain.length === 0) {
        return beforeFirstEdit(repo, sessionId, filePath, seq, workspaceDir);
    }
    try {
        const start = chain[0];
        if (start.data === undefined) {
            throw new Error(`edit #${start.seq} of ${filePath} is damaged`);
        }
        let content: string | undefined;
        let rest = chain;
        if (start.data.after?.content !== undefined && !start.data.omitted) {
            content = checked(start.data.after.content, start.data.after.sha256, start.seq, filePath);
            rest = chain.slice(1);
        } else if (start.data.before?.content !== undefined) {
            content = checked(start.data.before.content, start.data.before.sha256, start.seq, filePath);
        } else if (start.data.change !== 'create' && !start.data.omitted) {
            throw new Error(`the content of ${filePath} before edit #${start.seq} was not recorded`);
        }
        for (const edit of rest) {
            if (edit.data === undefined) {
                throw new Error(`edit #${edit.seq} of ${filePath} is damaged`);
            }
            content = applyFileEdit(content, edit.data, edit.seq);
        }
        const last = chain[chain.length - 1].seq;
        return content === undefined
            ? { status: 'absent', path: filePath, seq, reason: `${filePath} was deleted by event #${last}.` }
            : { status: 'exists', path: filePath, seq, content, sha256: sha256Of(content), lastEditSeq: last, source: 'timeline' };
    } catch (error) {
        return { status: 'unknown', path: filePath, seq, reason: `${filePath} cannot be rebuilt at #${seq}: ${(error as Error).message}.` };
    }
}

/** Before the session's first edit of the file: that edit's base, or absent when it created it. */
function beforeFirstEdit(repo: TimelineRepository, sessionId: string, filePath: string, seq: number, workspaceDir: string | undefined): FileState {
    const next = repo.firstEditAfter(sessionId, filePath, seq);
    if (!next) {
        return fromWorkspace(filePath, seq, workspaceDir);
    }
    const edit = parse(next);
    if (edit.data?.change === 'create') {
        return { status: 'absent', path: filePath, seq, reason: `${filePath} did not exist yet; it was created by event #${edit.seq}.` };
    }
    const before = edit.data?.before;
    if (before?.content === undefined) {
        return { status: 'unknown', path: filePath, seq, reason: `The content of ${filePath} before its first recorded edit (#${edit.seq}) was not recorded${edit.data?.omitted ? ` (${edit.data.omitted})` : ''}.` };
    }
    try {
        return { status: 'exists', path: filePath, seq, content: checked(before.content, before.sha256, edit.seq, filePath), sha256: before.sha256, source: 'timeline' };
    } catch (error) {
        return { status: 'unknown', path: filePath, seq, reason: (error as Error).message };
    }
}

function fromWorkspace(filePath: string, seq: number, workspaceDir: string | undefined): FileState {
    const none: FileState = { status: 'unknown', path: filePath, seq, reason: `This session recorded no edit of ${filePath}.` };
    if (!workspaceDir) {
        return none;
    }
    let absolute: string;
    try {
        // The one confinement (policy/workspace-paths.ts): symlinks that lead out are judged where they lead.
        absolute = new WorkspacePaths(workspaceDir).absolute(filePath);
    } catch (error) {
        if (error instanceof WorkspacePathError) {
            return { status: 'unknown', path: filePath, seq, reason: `${filePath} is outside the workspace.` };
        }
        throw error;
    }
    try {
        const content = fs.readFileSync(absolute, 'utf8');
        return { status: 'exists', path: filePath, seq, content, sha256: sha256Of(content), source: 'workspace' };
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? { status: 'absent', path: filePath, seq, reason: `${filePath} does not exist in the workspace, and this session recorded no edit of it.` }
            : { status: 'unknown', path: filePath, seq, reason: `${filePath} could not be read: ${(error as Error).message}` };
    }
}

function checked(content: string, sha256: string, seq: number, filePath: string): string {
    if (sha256Of(content) !== sha256) {
        throw new Error(`the content of ${filePath} stored with edit #${seq} does not match its SHA-256`);
    }
    return content;
}
