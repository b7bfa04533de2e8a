import { V1LogRecord, V1Problem, V1Profile, V1Reader, V1Session, V1Snapshot, V1UsageRecord, V1UserIndex } from './v1-reader';

/** Everything of one v1 user the migration converts, read once; what cannot be converted is in `problems`. */
export interface V1User {
    readonly index: V1UserIndex;
    readonly profile: V1Profile;
    readonly sessions: readonly { readonly session: V1Session; readonly records: readonly V1LogRecord[] }[];
    readonly snapshot?: V1Snapshot;
    readonly usage: readonly V1UsageRecord[];
    readonly problems: readonly V1Problem[];
}

/** Reads a user's data through the layout (plan, run and verify read the same way, so they agree). */
export async function readV1User(reader: V1Reader, userId: string): Promise<V1User> {
    const problems: V1Problem[] = [];
    const index = await reader.index(userId, problems);
    const profile = await reader.profile(index, problems);
    const sessions = [];
    for (const session of await reader.sessions(index, problems)) {
        sessions.push({ session, records: await reader.log(userId, session, problems) });
    }
    const snapshot = await reader.latestSnapshot(index, problems);
    const usage = await reader.usage(index, problems);
    return { index, profile, sessions, snapshot, usage, problems };
}

/** What a migration of the user creates in v2. */
export interface V2Counts {
    /** Timeline sessions, one per v1 session. */
    readonly sessions: number;
    /** Timeline events, one per v1 log record. */
    readonly events: number;
    readonly files: number;
    readonly bytes: number;
    /** Token usage rows, each priced into a cost ledger entry. */
    readonly costRows: number;
    readonly tokens: number;
    /** What v1 charged for them, in USD (v2 prices them by its own price table). */
    readonly v1CostUsd: number;
}

export function countsOf(user: V1User): V2Counts {
    return {
        sessions: user.sessions.length,
        events: user.sessions.reduce((n, s) => n + s.records.length, 0),
        files: user.snapshot?.files.length ?? 0,
        bytes: user.snapshot?.files.reduce((n, f) => n + f.size, 0) ?? 0,
        costRows: user.usage.length,
        tokens: user.usage.reduce((n, u) => n + u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens, 0),
        v1CostUsd: Math.round(user.usage.reduce((n, u) => n + u.costUsd, 0) * 1e6) / 1e6,
    };
}
