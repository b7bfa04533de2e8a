import { WorkspaceCoreHost } from '@coditect/studio-platform/node';
import { StudioUserProvider } from '@coditect/studio-platform/node';
import URI from '@theia/core/lib/common/uri';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import {
    createFileSystemProviderError, FileDeleteOptions, FileOpenOptions, FileOverwriteOptions, FileSystemProviderErrorCode, FileWriteOptions,
} from '@theia/filesystem/lib/common/files';
import { DiskFileSystemProvider } from '@theia/filesystem/lib/node/disk-file-system-provider';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertMayChangeConfiguration, ConfigurationPermissionError, judgedByWholeContent } from './configuration-write-guard';
import { LockedFileError, LockWriteGuard } from './lock-write-guard';
import { SaveRefusals } from './save-refusals';

/**
 * Theia's disk provider with the `LockWriteGuard` rule added to every write, create, delete and
 * rename. The check runs in the backend, where the browser cannot skip it; a refusal is also told
 * to the user's connections, whose browser offers to wait or force-release.
 *
 * A buffered write (open, write, close) of a file whose rule needs its whole new content (the
 * workspace settings' `coditect.agents`) is staged in a private file and judged and written at
 * close, so the file on disk never holds a refused change, not even between two writes.
 */
@injectable()
export class LockAwareFileSystemProvider extends DiskFileSystemProvider {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    @inject(StudioUserProvider)
    protected readonly users: StudioUserProvider;

    @inject(SaveRefusals)
    protected readonly refusals: SaveRefusals;

    /**
     * Set while a whole write that was already judged runs: Theia's `writeFile` itself opens, writes
     * and closes, and those calls must not be judged or staged again. Scoped to that call's async
     * chain, so a client's own buffered write running at the same time is still staged.
     */
    protected readonly judgedWrite = new AsyncLocalStorage<true>();

    override async writeFile(resource: URI, content: Uint8Array, opts: FileWriteOptions): Promise<void> {
        const before = readIfPresent(resource);
        const after = Buffer.from(content).toString('utf8');
        // Too large to judge or record: undefined from readIfPresent would read as "did not exist".
        const large = content.length > MaxRecordedBytes || (before === undefined && sizeOf(resource) !== undefined);
        await this.assertWritable(resource, { before, after });
        // recordSave records what it can read (small text files); the watcher records the rest under this user.
        await this.claim(resource, !large && !isBinary(before) && !isBinary(after));
        await this.judgedWrite.run(true, () => super.writeFile(resource, content, opts));
        if (!large) {
            await this.recordSave(resource, before, after);
        }
    }

    protected readonly staged = new Map<number, { readonly resource: URI; readonly file: string }>();
    protected stagingDir: string | undefined;

    override async open(resource: URI, opts: FileOpenOptions): Promise<number> {
        if (opts.create && !this.judgedWrite.getStore()) {
            // The bytes come later, through write(); only the path rules (.coditect/, the locks) can be judged here.
            const current = readIfPresent(resource);
            await this.assertWritable(resource, { before: current, after: current });
            const core = await this.coreHost.ready;
            if (judgedByWholeContent(core.config.workspaceDir, FileUri.fsPath(resource))) {
                this.stagingDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'coditect-staged-writes-'));
                const file = path.join(this.stagingDir, randomUUID());
                const fd = await super.open(FileUri.create(file), opts);
                this.staged.set(fd, { resource, file });
                return fd;
            }
            await this.claim(resource, false);
        }
        return super.open(resource, opts);
    }

    override async close(fd: number): Promise<void> {
        const staged = this.staged.get(fd);
        await super.close(fd);
        if (staged) {
            this.staged.delete(fd);
            try {
                await this.writeFile(staged.resource, await fs.promises.readFile(staged.file), { create: true, overwrite: true });
            } finally {
                await fs.promises.rm(staged.file, { force: true });
            }
        }
    }

    override async delete(resource: URI, opts: FileDeleteOptions): Promise<void> {
        const before = readIfPresent(resource);
        await this.assertWritable(resource, { before });
        await this.claim(resource, before !== undefined && !isBinary(before));
        await super.delete(resource, opts);
        if (before !== undefined) {
            await this.recordSave(resource, before, undefined);
        }
    }

    /**
     * A person's save goes into the session timeline's Studio lane beside the agents' edits, so
     * "the file as it was" at any point also holds what people changed between agents' edits.
     * Text files only (up to 1 MB); a file outside the workspace, or a timeline that is not
     * running, records nothing and never fails the save, which has already happened.
     */
    protected async recordSave(resource: URI, before: string | undefined, after: string | undefined): Promise<void> {
        if (before === after || isBinary(before) || isBinary(after)) {
            return;
        }
        try {
            const core = await this.coreHost.ready;
            const relative = core.locks.paths.relative(FileUri.fsPath(resource));
            core.timeline.recordFileEdit({ path: relative, before, after, by: this.users.currentUser().displayName });
        } catch {
            // Outside the workspace, or no timeline: the save stands unrecorded.
        }
    }

    override async rename(from: URI, to: URI, opts: FileOverwriteOptions): Promise<void> {
        const moved = readIfPresent(from);
        await this.assertWritable(from, { before: moved });
        await this.assertWritable(to, { before: readIfPresent(to), after: moved });
        await this.claim(from, false);
        await this.claim(to, false);
        return super.rename(from, to, opts);
    }

    override async mkdir(resource: URI): Promise<void> {
        await this.assertWritable(resource, {});
        await this.claim(resource, false);
        return super.mkdir(resource);
    }

    /**
     * A copy writes its destination like a save: the destination is checked against the locks
     * (a folder's locks below it too, since locks overlap by path), and each file a folder copy
     * would write is judged by the configuration rule with the content it would get.
     */
    override async copy(from: URI, to: URI, opts: FileOverwriteOptions): Promise<void> {
        await this.assertWritable(to, { before: readIfPresent(to), after: readIfPresent(from) });
        for (const relative of filesBelow(FileUri.fsPath(from))) {
            const target = to.resolve(relative);
            await this.assertWritable(target, { before: readIfPresent(target), after: readIfPresent(from.resolve(relative)) });
        }
        await this.claim(to, false);
        return super.copy(from, to, opts);
    }

    /**
     * Tells the workspace watcher this user is about to change `resource`, so the change is not
     * taken for a terminal's: `recordedHere` when recordSave records it (a file-edit), else the
     * watcher records it under this user. Outside the workspace, or with no watcher, nothing.
     */
    protected async claim(resource: URI, recordedHere: boolean): Promise<void> {
        try {
            const core = await this.coreHost.ready;
            core.fileChanges?.claim(core.locks.paths.relative(FileUri.fsPath(resource)), { kind: 'editor', by: this.users.currentUser().displayName }, recordedHere);
        } catch {
            // Outside the workspace: nobody watches it.
        }
    }

    /** Agent configuration is admin-only (configuration-write-guard.ts); everything else is checked against the locks. */
    protected async assertWritable(resource: URI, change: { readonly before?: string; readonly after?: string }): Promise<void> {
        const user = this.users.currentUser();
        const core = await this.coreHost.ready;
        try {
            assertMayChangeConfiguration(core, user, FileUri.fsPath(resource), change);
        } catch (error) {
            if (error instanceof ConfigurationPermissionError) {
                throw createFileSystemProviderError(error.message, FileSystemProviderErrorCode.NoPermissions);
            }
            throw error;
        }
        try {
            new LockWriteGuard(core).assertWritable(FileUri.fsPath(resource), user);
        } catch (error) {
            if (error instanceof LockedFileError) {
                this.refusals.report(user.id, { path: error.path, holders: error.holders });
                throw createFileSystemProviderError(error.message, FileSystemProviderErrorCode.NoPermissions);
            }
            throw error;
        }
    }
}

/** The largest file whose saves are recorded in the session timeline, as `readIfPresent` reads it. */
const MaxRecordedBytes = 1_000_000;

/** NUL bytes do not occur in text files: such content is not recorded as an edit. */
function isBinary(content: string | undefined): boolean {
    return content !== undefined && content.includes('\0');
}

/** A small text file's content (settings, definitions), or undefined when it does not exist or is large. */
function readIfPresent(resource: URI): string | undefined {
    try {
        return (sizeOf(resource) ?? Infinity) <= MaxRecordedBytes ? fs.readFileSync(FileUri.fsPath(resource), 'utf8') : undefined;
    } catch {
        return undefined;
    }
}

/** The files under a folder, relative to it ('/'-separated); none for a file. Symbolic links are not followed. */
function filesBelow(folder: string): string[] {
    try {
        return fs.readdirSync(folder, { recursive: true, withFileTypes: true })
            .filter(entry => entry.isFile())
            .map(entry => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    } catch {
        return [];
    }
}

function sizeOf(resource: URI): number | undefined {
    try {
        return fs.statSync(FileUri.fsPath(resource)).size;
    } catch {
        return undefined;
    }
}
