import * as fs from 'node:fs';
import * as path from 'node:path';

/** A path outside the workspace, or one that cannot be a workspace path at all. */
export class WorkspacePathError extends Error {
    constructor(readonly input: string, reason: string) {
        super(`"${input}" is not a path inside the workspace: ${reason}`);
        this.name = 'WorkspacePathError';
    }
}

/**
 * Normalises paths to the workspace-relative, forward-slash form every lock, event and badge uses
 * ('' is the workspace root), and confines them to the workspace.
 *
 * Invariant: a path this class returns names a location inside the workspace's real folder, even
 * through symlinks: the nearest existing ancestor is resolved with realpath and must stay inside.
 * Paths that do not exist yet are allowed (an agent may lock a file it is about to create).
 */
export class WorkspacePaths {
    protected readonly realRoot: string;

    constructor(readonly root: string) {
        this.realRoot = fs.realpathSync(root);
    }

    /** The workspace-relative form of `input` (relative to the root, or absolute inside it). */
    relative(input: string): string {
        if (typeof input !== 'string') {
            throw new WorkspacePathError(String(input), 'a path must be a string.');
        }
        if (input.includes('\0')) {
            throw new WorkspacePathError(input.replace(/\0/g, '\\0'), 'it contains a NUL character.');
        }
        const absolute = path.isAbsolute(input) ? path.normalize(input) : path.resolve(this.root, input);
        const lexical = this.inside(absolute, this.root) ?? this.inside(absolute, this.realRoot);
        if (lexical === undefined) {
            throw new WorkspacePathError(input, `it resolves to ${absolute}, outside ${this.root}.`);
        }
        this.assertNoSymlinkEscape(input, path.join(this.realRoot, lexical));
        return lexical.split(path.sep).join('/');
    }

    /** The absolute path of a workspace-relative path (after the same checks). */
    absolute(input: string): string {
        return path.join(this.root, this.relative(input));
    }

    protected inside(absolute: string, root: string): string | undefined {
        const relative = path.relative(root, absolute);
        if (relative === '') {
            return '';
        }
        return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative;
    }

    protected assertNoSymlinkEscape(input: string, candidate: string): void {
        let existing = candidate;
        while (!fs.existsSync(existing)) {
            const parent = path.dirname(existing);
            if (parent === existing) {
                return;
            }
            existing = parent;
        }
        const real = fs.realpathSync(existing);
        if (this.inside(real, this.realRoot) === undefined) {
            throw new WorkspacePathError(input, `it passes through a symbolic link that leads to ${real}, outside the workspace.`);
        }
    }
}

/** True when workspace-relative `a` is `b`, or one contains the other (a folder lock covers its subtree). */
export function pathsOverlap(a: string, b: string): boolean {
    return a === b || a === '' || b === '' || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** `.coditect/` holds agent definitions, workflows and prices: admin-only, for people and agents alike (policy `agent.configure`). */
export function isStudioConfiguration(relativePath: string): boolean {
    return relativePath === '.coditect' || relativePath.startsWith('.coditect/');
}

/** The workspace's own settings folder: `.theia/settings.json` holds `coditect.agents` (each agent's model and endpoint). */
export const WorkspaceSettingsFolder = '.theia';

/**
 * What agents may read but never change, by their file tools or their commands: the studio's
 * configuration, and the workspace settings, whose `coditect.agents` could send an agent's key to
 * another endpoint. People change them through the IDE (admins only for `coditect.agents`).
 */
export function isAgentProtected(relativePath: string): boolean {
    return isStudioConfiguration(relativePath) || relativePath === WorkspaceSettingsFolder || relativePath.startsWith(`${WorkspaceSettingsFolder}/`);
}

/** The workspace-relative form of `input`, or undefined when it is not inside the workspace (same rules as `relative`). */
export function relativeInsideWorkspace(paths: WorkspacePaths, input: string): string | undefined {
    try {
        return paths.relative(input);
    } catch (error) {
        if (error instanceof WorkspacePathError) {
            return undefined;
        }
        throw error;
    }
}
