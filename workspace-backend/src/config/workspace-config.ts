import * as os from 'node:os';
import * as path from 'node:path';

/** Where the workspace core keeps things. Every path is absolute. */
export interface WorkspaceConfig {
    /** The folder the agents and the human edit. */
    readonly workspaceDir: string;
    /** Local state of the core (databases, staging); never synced as workspace files. */
    readonly dataDir: string;
}

/** What a process was given directly (its command line); the environment fills in the rest. */
export interface WorkspaceConfigRequest {
    /** The workspace folder given to this process directly: the backend's folder argument, the CLI's `--workspace`. */
    readonly workspaceDir?: string;
    /** The data directory given directly; it wins over STUDIO_DATA_DIR. */
    readonly dataDir?: string;
    /**
     * How this process takes the workspace folder directly, for the messages that tell the person
     * what to set (`--workspace <dir>`); by default, "the workspace folder argument".
     */
    readonly workspaceOption?: string;
}

/** The environment variables the core reads; README.md ("Configuration") documents each. */
export const WorkspaceEnv = {
    workspaceDir: 'STUDIO_WORKSPACE',
    dataDir: 'STUDIO_DATA_DIR',
} as const;

export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ConfigError';
    }
}

/**
 * The one rule for which folder is the workspace, for every process that runs a core (the Theia
 * backend, whose editor opens the same folder; the operator CLI):
 *
 * - the folder given directly (`request.workspaceDir`), else STUDIO_WORKSPACE;
 * - both given and naming different folders: refused, since the editor and the core would then
 *   work on different folders (agents, locks and file sync on one, the person on the other);
 * - neither given: refused. Never the current folder: file sync would copy whatever happens to be
 *   there to the replica (a start from a temporary folder once replicated 641 MB of strangers' files).
 *
 * The data directory is the one given directly, else STUDIO_DATA_DIR, else `~/.coditect-studio/data`.
 * Relative paths are taken from `cwd`; the workspace may not lie inside the data directory.
 */
export function resolveWorkspaceConfig(
    request: WorkspaceConfigRequest = {},
    env: NodeJS.ProcessEnv = process.env,
    cwd: string = process.cwd()
): WorkspaceConfig {
    const option = request.workspaceOption ?? 'the workspace folder argument';
    const given = nonEmpty(request.workspaceDir, `The workspace folder given as ${option} is empty; give a folder path.`);
    const fromEnv = nonEmpty(env[WorkspaceEnv.workspaceDir], `${WorkspaceEnv.workspaceDir} is set but empty; give it a folder path or unset it.`);
    const givenDir = given === undefined ? undefined : path.resolve(cwd, given);
    const envDir = fromEnv === undefined ? undefined : path.resolve(cwd, fromEnv);
    if (givenDir !== undefined && envDir !== undefined && givenDir !== envDir) {
        throw new ConfigError(`The workspace folder is given twice, as two different folders: ${option} says ${givenDir}, `
            + `${WorkspaceEnv.workspaceDir} says ${envDir}. Give it once: pass the folder as ${option} and unset ${WorkspaceEnv.workspaceDir}, `
            + `or set ${WorkspaceEnv.workspaceDir} to the same folder.`);
    }
    const workspaceDir = givenDir ?? envDir;
    if (workspaceDir === undefined) {
        throw new ConfigError(`No workspace folder is given: pass it as ${option} or set ${WorkspaceEnv.workspaceDir}. `
            + `The studio does not fall back to the current folder (${cwd}): file sync would copy whatever is there to the replica.`);
    }
    const dataDir = resolveDataDir(request.dataDir, env, cwd);
    if (isInside(dataDir, workspaceDir) === false && isInside(workspaceDir, dataDir)) {
        throw new ConfigError(`the workspace ${workspaceDir} lies inside the data directory ${dataDir}; choose separate folders.`);
    }
    return { workspaceDir, dataDir };
}

/**
 * The data directory alone, for the commands that work on the databases without a workspace:
 * the one given, else STUDIO_DATA_DIR, else `~/.coditect-studio/data`.
 */
export function resolveDataDir(given: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
    const value = given ?? env[WorkspaceEnv.dataDir];
    if (value !== undefined && value.trim() === '') {
        throw new ConfigError(`${WorkspaceEnv.dataDir} is set but empty; give it a folder path or unset it.`);
    }
    return path.resolve(cwd, value ?? path.join(os.homedir(), '.coditect-studio', 'data'));
}

function nonEmpty(value: string | undefined, emptyMessage: string): string | undefined {
    if (value !== undefined && value.trim() === '') {
        throw new ConfigError(emptyMessage);
    }
    return value;
}

/** True when `child` is `parent` or lies below it. */
export function isInside(child: string, parent: string): boolean {
    const relative = path.relative(parent, child);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
