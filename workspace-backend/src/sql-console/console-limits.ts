import type { Role } from '../policy/principal';
import type { ConsoleUser } from './console-types';

/** How much of the machine one person's console queries may take, by role. */
export interface RoleLimits {
    /** Queries running at once, across all of the person's browser connections and databases. */
    readonly maxRunning: number;
    /** The longest time limit a run may have; a longer one asked for is lowered to this. */
    readonly maxTimeoutMs: number;
}

export interface ConsoleLimits {
    readonly developer: RoleLimits;
    readonly admin: RoleLimits;
    /** Queries running at once in the whole workspace, everyone's together. */
    readonly workspaceMaxRunning: number;
}

/**
 * Each running query is a worker process with its own SQLite connection and cache (tens of MB)
 * and a core while it computes: a developer gets 2 at a time for up to a minute each, an admin
 * 4 for up to ten minutes, and the workspace 8 in all, so the console never takes a 2-core
 * machine from the agents and the studio.
 */
export const DefaultConsoleLimits: ConsoleLimits = {
    developer: { maxRunning: 2, maxTimeoutMs: 60_000 },
    admin: { maxRunning: 4, maxTimeoutMs: 600_000 },
    workspaceMaxRunning: 8,
};

/** The environment variables that change the defaults (README, "Configuration"). */
const ConsoleLimitsEnv = {
    developerMaxRunning: 'STUDIO_SQL_DEVELOPER_MAX_RUNNING',
    developerMaxTimeoutMs: 'STUDIO_SQL_DEVELOPER_MAX_TIMEOUT_MS',
    adminMaxRunning: 'STUDIO_SQL_ADMIN_MAX_RUNNING',
    adminMaxTimeoutMs: 'STUDIO_SQL_ADMIN_MAX_TIMEOUT_MS',
    workspaceMaxRunning: 'STUDIO_SQL_MAX_RUNNING',
} as const;

/** The limits from the environment; a value that is not a positive whole number is an error naming the variable. */
export function consoleLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): ConsoleLimits {
    const read = (name: string, fallback: number): number => {
        const raw = env[name]?.trim();
        if (!raw) {
            return fallback;
        }
        const value = Number(raw);
        if (!Number.isInteger(value) || value <= 0) {
            throw new RangeError(`${name} must be a positive whole number, not "${raw}".`);
        }
        return value;
    };
    const d = DefaultConsoleLimits;
    return {
        developer: { maxRunning: read(ConsoleLimitsEnv.developerMaxRunning, d.developer.maxRunning), maxTimeoutMs: read(ConsoleLimitsEnv.developerMaxTimeoutMs, d.developer.maxTimeoutMs) },
        admin: { maxRunning: read(ConsoleLimitsEnv.adminMaxRunning, d.admin.maxRunning), maxTimeoutMs: read(ConsoleLimitsEnv.adminMaxTimeoutMs, d.admin.maxTimeoutMs) },
        workspaceMaxRunning: read(ConsoleLimitsEnv.workspaceMaxRunning, d.workspaceMaxRunning),
    };
}

/** A query refused because too many are running; nothing was run. */
export class ConsoleBusyError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ConsoleBusyError';
    }
}

/**
 * Counts the console's running queries, per person and in all. Invariant: a query is admitted
 * only while its person and the workspace are under their limits, and its slot is given back
 * exactly once, when it ends however it ends. Beyond a limit the query is refused, not queued:
 * a queue would hide from the person why nothing happens.
 */
export class RunningQueries {
    protected readonly byPerson = new Map<string, number>();
    protected total = 0;

    constructor(readonly limits: ConsoleLimits) { }

    limitsOf(role: Role): RoleLimits {
        return this.limits[role];
    }

    /** Takes a slot for one of `user`'s queries; returns its release. Throws ConsoleBusyError at a limit. */
    admit(user: ConsoleUser): () => void {
        const mine = this.byPerson.get(user.id) ?? 0;
        const max = this.limitsOf(user.role).maxRunning;
        if (mine >= max) {
            throw new ConsoleBusyError(`You have ${mine} quer${mine === 1 ? 'y' : 'ies'} running, the most a${user.role === 'admin' ? 'n' : ''} ${user.role} may; wait for one to finish or cancel it. Nothing was run.`);
        }
        if (this.total >= this.limits.workspaceMaxRunning) {
            throw new ConsoleBusyError(`${this.total} console queries are running in this workspace, the most it runs at once; try again when one has finished. Nothing was run.`);
        }
        this.byPerson.set(user.id, mine + 1);
        this.total++;
        let released = false;
        return () => {
            if (released) {
                return;
            }
            released = true;
            this.total--;
            const left = (this.byPerson.get(user.id) ?? 1) - 1;
            if (left > 0) {
                this.byPerson.set(user.id, left);
            } else {
                this.byPerson.delete(user.id);
            }
        };
    }
}
