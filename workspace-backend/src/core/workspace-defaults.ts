import * as fs from 'node:fs';
import * as path from 'node:path';

/** The environment variable naming the folder a new workspace starts with. */
export const WorkspaceDefaultsEnv = 'STUDIO_WORKSPACE_DEFAULTS';

/**
 * Copies the defaults folder (STUDIO_WORKSPACE_DEFAULTS; the container image ships the agents'
 * definitions, workflows and a welcome file there) into a new workspace, and returns the
 * workspace-relative paths it wrote.
 *
 * Invariants:
 * - "New" means empty after the workspace files were restored from the replica, so this runs
 *   after file sync's restore: a workspace that comes back from its store is never touched, and
 *   seeding an empty folder before the restore would turn every default into a conflict copy.
 * - Nothing is ever overwritten; a file people deleted from a workspace that holds anything else
 *   stays deleted.
 * - A defaults folder that is missing or unreadable is an error naming it: a mistyped setting
 *   would otherwise leave every new workspace without its agents' files, silently.
 */
export async function seedWorkspaceDefaults(workspaceDir: string, defaultsDir: string | undefined): Promise<string[]> {
    if (!defaultsDir) {
        return [];
    }
    let entries: string[];
    try {
        entries = await fs.promises.readdir(defaultsDir);
    } catch (error) {
        throw new Error(`${WorkspaceDefaultsEnv}=${defaultsDir} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ` +
            'point it at the folder of default workspace files, or unset it.', { cause: error });
    }
    if (entries.length === 0 || (await fs.promises.readdir(workspaceDir)).length > 0) {
        return [];
    }
    await fs.promises.cp(defaultsDir, workspaceDir, { recursive: true, force: false, errorOnExist: false });
    return listFiles(workspaceDir);
}

async function listFiles(root: string, relative = ''): Promise<string[]> {
    const files: string[] = [];
    for (const entry of await fs.promises.readdir(path.join(root, relative), { withFileTypes: true })) {
        const child = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
            files.push(...await listFiles(root, child));
        } else {
            files.push(child);
        }
    }
    return files.sort();
}
