import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';

export const IGNORE_FILE = '.studioignore';

/**
 * What is never worth syncing by default: dependencies and build output (re-creatable, and
 * often most of the files), caches and editor debris. A `.studioignore` adds to these in
 * gitignore syntax and can re-include one with `!` (e.g. `!build/`).
 */
export const DEFAULT_IGNORES: readonly string[] = [
    'node_modules/', 'bower_components/', '.venv/', 'venv/', '__pycache__/', '*.pyc',
    'dist/', 'build/', 'out/', 'target/', '.next/', '.nuxt/', '.turbo/', '.cache/', '.parcel-cache/', 'coverage/',
    '.DS_Store', 'Thumbs.db', '*.swp', '*.swx', '*~', '.git/index.lock',
];

/** Prefix of the temp files file sync writes into the workspace while downloading. */
export const DOWNLOAD_TEMP_PREFIX = '.studio-sync-';

/**
 * Which workspace paths file sync skips. Paths are workspace-relative with `/`; a directory is
 * asked about with a trailing `/` so `build/` rules match it. Invariant: the data directory (and
 * a directory replica) are always skipped when they lie inside the workspace, whatever the
 * `.studioignore` says, since syncing the databases' files as workspace files would race
 * replication.
 */
export class IgnoreRules {
    protected matcher: Ignore = ignore();

    constructor(readonly workspaceDir: string, protected readonly alwaysIgnored: readonly string[] = []) {
        this.reload();
    }

    /** Re-reads `.studioignore` (after it changed). */
    reload(): void {
        const matcher = ignore().add(DEFAULT_IGNORES as string[]);
        try {
            matcher.add(fs.readFileSync(path.join(this.workspaceDir, IGNORE_FILE), 'utf8'));
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
                throw new Error(`Cannot read ${IGNORE_FILE} in ${this.workspaceDir}: ${(error as Error).message}; fix its permissions or remove it.`, { cause: error });
            }
        }
        this.matcher = matcher;
    }

    /** The always-ignored folders as absolute paths (for the watcher's own ignore list). */
    alwaysIgnoredAbsolute(): string[] {
        return this.alwaysIgnored.map(rel => path.join(this.workspaceDir, ...rel.split('/')));
    }

    ignores(relPath: string, isDirectory = false): boolean {
        if (relPath === '') {
            return false;
        }
        const base = relPath.slice(relPath.lastIndexOf('/') + 1);
        if (base.startsWith(DOWNLOAD_TEMP_PREFIX)) {
            return true;
        }
        for (const dir of this.alwaysIgnored) {
            if (relPath === dir || relPath.startsWith(`${dir}/`)) {
                return true;
            }
        }
        return this.matcher.ignores(isDirectory ? `${relPath}/` : relPath);
    }
}

/**
 * The rules of one workspace as file sync applies them: the workspace's own, plus the data
 * directory and `alsoIgnore` folders when they lie inside it (they are never synced).
 */
export function workspaceIgnoreRules(workspaceDir: string, dataDir: string, alsoIgnore: readonly string[] = []): IgnoreRules {
    const root = path.resolve(workspaceDir);
    const inside = [dataDir, ...alsoIgnore]
        .map(dir => path.relative(root, path.resolve(dir)))
        .filter(rel => rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel))
        .map(rel => rel.split(path.sep).join('/'));
    return new IgnoreRules(root, inside);
}
