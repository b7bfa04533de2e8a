import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mapLimit } from '../file-sync/file-sync';
import { WorkspacePaths } from '../policy/workspace-paths';
import type { PlacedFile, V1ImportRepository } from './v1-import-repository';
import type { V1SnapshotFile } from './v1-reader';

/** What placing a snapshot did. A file is written, already right, removed, or kept with the reason. */
export interface PlacementReport {
    readonly written: number;
    readonly unchanged: number;
    readonly removed: readonly string[];
    /** Files the migration left as they are in v2, and why (a person's edit, something in the way). */
    readonly kept: readonly { path: string; why: string }[];
}

/**
 * Makes the workspace hold the snapshot's files, resumably and without destroying anyone's work:
 *
 * - A file whose content is already the snapshot's is left alone (a resumed run skips it).
 * - A file is written whole beside its place and renamed over it, so it is never half-written;
 *   its executable bit follows the snapshot.
 * - A file the migration did not place, or placed and someone changed since, is kept and reported;
 *   so is a file the migration placed that left the snapshot and was changed since. One it placed
 *   and that nobody touched, gone from the snapshot, is removed (a delta run after v1 deleted it).
 * - What was placed is recorded (`v1_import_files`) after it is on disk; a run cut off between the
 *   two finds the content right the next time and records it then.
 */
export async function placeSnapshot(options: {
    readonly userId: string;
    readonly workspaceDir: string;
    readonly files: readonly V1SnapshotFile[];
    readonly repo: V1ImportRepository;
    readonly read: (file: V1SnapshotFile) => Promise<Buffer>;
    readonly concurrency?: number;
}): Promise<PlacementReport> {
    fs.mkdirSync(options.workspaceDir, { recursive: true });
    const paths = new WorkspacePaths(options.workspaceDir);
    const placed = options.repo.files(options.userId);
    let written = 0;
    let unchanged = 0;
    const kept: { path: string; why: string }[] = [];
    const record: PlacedFile[] = [];
    await mapLimit(options.files, options.concurrency ?? 8, async file => {
        let target: string;
        try {
            target = paths.absolute(file.path);
        } catch (error) {
            kept.push({ path: file.path, why: (error as Error).message });
            return;
        }
        const local = await contentOf(target);
        if (local === 'not-a-file') {
            kept.push({ path: file.path, why: 'something that is not a file is in its place' });
            return;
        }
        if (local?.sha256 === file.sha256) {
            unchanged++;
            await setExecutable(target, file.executable);
        } else {
            if (local && placed.get(file.path)?.sha256 !== local.sha256) {
                kept.push({ path: file.path, why: 'it was changed in v2 (or made there) and the migration does not overwrite work' });
                return;
            }
            await writeWhole(target, await options.read(file), file.executable);
            written++;
        }
        record.push({ path: file.path, sha256: file.sha256, size: file.size });
    });
    options.repo.recordFiles(options.userId, record);

    const wanted = new Set(options.files.map(f => f.path));
    const removed: string[] = [];
    const forget: string[] = [];
    for (const [rel, was] of placed) {
        if (wanted.has(rel)) {
            continue;
        }
        forget.push(rel);
        const target = path.join(options.workspaceDir, rel);
        const local = await contentOf(target);
        if (local === undefined) {
            continue;
        }
        if (local !== 'not-a-file' && local.sha256 === was.sha256) {
            await fs.promises.rm(target);
            removed.push(rel);
        } else {
            kept.push({ path: rel, why: 'v1 no longer has it, but it was changed in v2 since the migration placed it' });
        }
    }
    options.repo.forgetFiles(forget);
    return { written, unchanged, removed: removed.sort(), kept: kept.sort((a, b) => a.path.localeCompare(b.path)) };
}

/** The SHA-256 and size of a regular file, undefined when nothing is there. */
export async function contentOf(file: string): Promise<{ sha256: string; size: number } | 'not-a-file' | undefined> {
    let stat: fs.Stats;
    try {
        stat = await fs.promises.lstat(file);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            return undefined;
        }
        throw error;
    }
    if (!stat.isFile()) {
        return 'not-a-file';
    }
    const hash = createHash('sha256');
    for await (const chunk of fs.createReadStream(file)) {
        hash.update(chunk as Buffer);
    }
    return { sha256: hash.digest('hex'), size: stat.size };
}

async function writeWhole(target: string, bytes: Buffer, executable: boolean): Promise<void> {
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const temporary = path.join(path.dirname(target), `.${path.basename(target).slice(0, 200)}.coditect-import-${randomBytes(4).toString('hex')}`);
    try {
        await fs.promises.writeFile(temporary, bytes, { mode: executable ? 0o755 : 0o644 });
        await fs.promises.rename(temporary, target);
    } catch (error) {
        await fs.promises.rm(temporary, { force: true });
        throw error;
    }
}

async function setExecutable(target: string, executable: boolean): Promise<void> {
    const mode = (await fs.promises.stat(target)).mode;
    const wanted = executable ? mode | 0o111 : mode & ~0o111;
    if (wanted !== mode) {
        await fs.promises.chmod(target, wanted);
    }
}
