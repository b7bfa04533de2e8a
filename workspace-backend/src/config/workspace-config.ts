import * as os from 'node:os';
import * as path from 'node:path';

/** Where the workspace core keeps things. Every path is absolute. */
export interface WorkspaceConfig {
    /** The folder the agents and the human edit. */
    readonly workspaceDir: string;
    /** Local state of the core (databases, staging); never synced as workspace files. */
    readonly dataDir: string;
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
 * Resolves the configuration from explicit values, then the environment, then defaults:
 * the workspace defaults to the current directory and the data directory to
 * `~/.coditect-studio/data`. Relative paths are taken from the current directory.
 */
export function resolveWorkspaceConfig(
    overrides: Partial<WorkspaceConfig> = {},
    env: NodeJS.ProcessEnv = process.env,
    cwd: string = process.cwd()
): WorkspaceConfig {
    const pick = (key: keyof WorkspaceConfig, fallback: string): string => {
        const value = overrides[key] ?? env[WorkspaceEnv[key]] ?? fallback;
        if (value.trim() === '') {
            throw new ConfigError(`${WorkspaceEnv[key]} is set but empty; give it a folder path or unset it.`);
        }
        return path.resolve(cwd, value);
    };
    const workspaceDir = pick('workspaceDir', cwd);
    const dataDir = pick('dataDir', path.join(os.homedir(), '.coditect-studio', 'data'));
    if (isInside(dataDir, workspaceDir) === false && isInside(workspaceDir, dataDir)) {
        throw new ConfigError(`the workspace ${workspaceDir} lies inside the data directory ${dataDir}; choose separate folders.`);
    }
    return { workspaceDir, dataDir };
}

/** True when `child` is `parent` or lies below it. */
export function isInside(child: string, parent: string): boolean {
    const relative = path.relative(parent, child);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
