import * as path from 'node:path';
import type { ChangeOverlays, OverlayEntry } from '../changes/change-overlay';
import { readTextIfPresent } from '../common/read-text-if-present';
import type { WorkspacePaths } from '../policy/workspace-paths';
import type { WriteTarget } from './guarded-file-writer';

/** A listing line: a file path, or a folder path ending in `/`. */
type ListingLine = string;

const skipped = new Set(['.git', 'node_modules']);

/**
 * The workspace as an agent that applies `after-review` sees it during one task: its task's overlay
 * (change-overlay.ts) laid over the workspace files. A file in the overlay reads as the agent wrote
 * it, one it deleted is absent for it, every other file reads as it is in the workspace. Its
 * writes (as a GuardedFileWriter `WriteTarget`) go to the overlay, never to the workspace.
 *
 * Only the agent's file tools look through it: its commands run on the workspace as it is.
 */
export class OverlayFileView implements WriteTarget {
    constructor(protected readonly paths: WorkspacePaths, protected readonly overlays: Pick<ChangeOverlays, 'read' | 'entries' | 'write'>,
        protected readonly taskId: number, protected readonly agentId: string) { }

    /** The overlay's entry for the file (workspace-relative), if the agent wrote or deleted it. */
    entry(relative: string): OverlayEntry | undefined {
        return this.overlays.read(this.taskId, relative);
    }

    /** How many files the agent wrote or deleted in the task. */
    size(): number {
        return this.overlays.entries(this.taskId).length;
    }

    async read(relative: string): Promise<string | undefined> {
        const entry = this.entry(relative);
        return entry ? entry.content : this.workspaceContent(relative);
    }

    /** Called under the file's lock (the guarded writer's): the workspace content it reads now is the base of a first write. */
    async write(relative: string, content: string | undefined): Promise<void> {
        const base = this.entry(relative) ? undefined : await this.workspaceContent(relative);
        this.overlays.write(this.taskId, this.agentId, relative, content, base);
    }

    protected workspaceContent(relative: string): Promise<string | undefined> {
        return readTextIfPresent(this.paths.absolute(relative));
    }

    /**
     * A listing of the workspace under `folder` (workspace-relative, '' for all) with the overlay laid
     * over it: files the agent created added (with their folders), files it deleted left out, in
     * the order a walk of the folder gives (each folder's entries by name, a folder's contents right
     * after it).
     */
    overlayListing(workspace: readonly ListingLine[], folder: string): ListingLine[] {
        const files = new Set(workspace.filter(line => !line.endsWith('/')));
        const folders = new Set(workspace.filter(line => line.endsWith('/')));
        for (const entry of this.overlays.entries(this.taskId)) {
            if (!within(entry.path, folder) || entry.path.split('/').some(part => skipped.has(part))) {
                continue;
            }
            if (entry.content === undefined) {
                files.delete(entry.path);
                continue;
            }
            files.add(entry.path);
            const parts = entry.path.split('/');
            for (let depth = folder === '' ? 1 : folder.split('/').length + 1; depth < parts.length; depth++) {
                folders.add(`${parts.slice(0, depth).join('/')}/`);
            }
        }
        return [...folders, ...files].sort(walkOrder);
    }

    /**
     * Search results of the workspace (`path:line:text`, as ripgrep prints them from `target`) with
     * the overlay laid over them: lines of files in the overlay replaced by matches in the agent's
     * content of those files (JavaScript regular expressions: ripgrep's syntax, mostly).
     */
    overlaySearch(workspace: readonly string[], pattern: string, target: string, glob: string | undefined): string[] {
        const prefix = target === '.' ? './' : '';
        const folder = target === '.' ? '' : target;
        const entries = this.overlays.entries(this.taskId).filter(e => within(e.path, folder));
        if (entries.length === 0) {
            return [...workspace];
        }
        // A search of one file: ripgrep prints its lines without the file's name, and the agent's content replaces them all.
        const single = entries.find(e => e.path === folder);
        const inOverlay = new Set(entries.map(e => e.path));
        const kept = single ? [] : workspace.filter(line => {
            const file = /^(.*?):\d+:/.exec(line)?.[1];
            return file === undefined || !inOverlay.has(file.startsWith('./') ? file.slice(2) : file);
        });
        let regex: RegExp;
        try {
            regex = new RegExp(pattern);
        } catch (error) {
            throw new Error(`search: the pattern cannot be matched against your edits that wait for review (${(error as Error).message}); use a JavaScript-compatible regular expression.`, { cause: error });
        }
        const added: string[] = [];
        for (const entry of entries) {
            if (entry.content === undefined || (glob !== undefined && !matchesGlob(entry.path, glob))) {
                continue;
            }
            entry.content.split('\n').forEach((line, i) => {
                if (regex.test(line)) {
                    added.push(`${single ? '' : `${prefix}${entry.path}:`}${i + 1}:${line.length > 300 ? `${line.slice(0, 300)}…` : line}`);
                }
            });
        }
        return [...kept, ...added];
    }
}

/** The file is the folder (a search of one file) or inside it; '' is the whole workspace. */
function within(relative: string, folder: string): boolean {
    return folder === '' || relative === folder || relative.startsWith(`${folder}/`);
}

/** ripgrep's `--glob`: a pattern without a `/` matches the file's name, one with a `/` its path. */
function matchesGlob(relative: string, glob: string): boolean {
    const negated = glob.startsWith('!');
    const pattern = negated ? glob.slice(1) : glob;
    const matches = path.posix.matchesGlob(pattern.includes('/') ? relative : path.posix.basename(relative), pattern);
    return negated ? !matches : matches;
}

/** Segment by segment, by name; a folder before its contents. */
function walkOrder(a: ListingLine, b: ListingLine): number {
    const left = a.replace(/\/$/, '').split('/');
    const right = b.replace(/\/$/, '').split('/');
    for (let i = 0; i < Math.min(left.length, right.length); i++) {
        const order = left[i].localeCompare(right[i]);
        if (order !== 0) {
            return order;
        }
    }
    return left.length - right.length;
}
