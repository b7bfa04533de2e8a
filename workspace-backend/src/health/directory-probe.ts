import * as fs from 'node:fs';
import * as path from 'node:path';
import { ComponentHealth } from './workspace-health';

/**
 * Checks that a directory exists and that this process can create, write and remove a file in it.
 * A probe file is used rather than `access(W_OK)` because read-only mounts and full disks pass
 * the permission check yet fail the write.
 */
export async function probeDirectory(id: string, label: string, dir: string): Promise<ComponentHealth> {
    const probe = path.join(dir, `.studio-probe-${process.pid}-${Date.now()}`);
    try {
        const stat = await fs.promises.stat(dir);
        if (!stat.isDirectory()) {
            return { id, label, status: 'down', detail: `${dir} is not a directory; point the setting at a folder.` };
        }
        await fs.promises.writeFile(probe, 'ok');
        await fs.promises.rm(probe, { force: true });
        return { id, label, status: 'ok', detail: `${dir} is writable.`, metrics: { path: dir } };
    } catch (error) {
        return { id, label, status: 'down', detail: `${dir} cannot be used: ${describeFsError(error)}` };
    }
}

/** Turns a Node file-system error into a sentence that says what to do. */
export function describeFsError(error: unknown): string {
    const code = (error as NodeJS.ErrnoException)?.code;
    switch (code) {
        case 'ENOENT': return 'it does not exist; create it or choose another folder.';
        case 'EACCES':
        case 'EPERM': return 'permission denied; give the studio\'s user write access or choose another folder.';
        case 'EROFS': return 'the file system is read-only; mount it read-write or choose another folder.';
        case 'ENOSPC': return 'the disk is full; free some space.';
        case 'EDQUOT': return 'the disk quota is exhausted; free some space or raise the quota.';
        default: return error instanceof Error ? error.message : String(error);
    }
}
