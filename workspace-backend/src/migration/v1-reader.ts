import { createHash } from 'node:crypto';
import { V1ObjectInfo, V1Source, V1SourceError } from './v1-source';

/*
 * The v1 layout: the only module that knows how v1 kept its users' data (docs/v1-layout.md). A
 * difference found in real v1 data is a change here and in that document, nowhere else. It
 * turns objects into the records below, and every object or line it cannot turn into one into a
 * `V1Problem` that names it and says what to do.
 */

/** The record versions this reader knows; anything newer is reported, never guessed at. */
export const V1Versions = { profile: [1], session: [1, 2], log: [1], snapshot: [1], usage: [1] } as const;

export interface V1Problem {
    readonly user: string;
    /** The object's key in the v1 store. */
    readonly object: string;
    /** The line of a JSON Lines object, from 1. */
    readonly line?: number;
    readonly problem: string;
    readonly action: string;
}

export interface V1Profile {
    readonly userId: string;
    readonly email?: string;
    readonly displayName: string;
    readonly createdAt: number;
}

export interface V1Agent {
    readonly id: string;
    readonly model?: string;
}

export interface V1Session {
    readonly id: string;
    readonly title: string;
    readonly agents: readonly V1Agent[];
    readonly startedAt: number;
    readonly endedAt?: number;
    readonly meta: V1ObjectInfo;
    /** The message log's parts, in order. */
    readonly parts: readonly V1ObjectInfo[];
}

export type V1LogRecord =
    | { readonly type: 'message'; readonly id: string; readonly at: number; readonly role: 'user' | 'assistant' | 'system'; readonly agent?: string; readonly text: string }
    | { readonly type: 'tool_call'; readonly id: string; readonly at: number; readonly agent: string; readonly callId: string; readonly name: string; readonly args: Record<string, unknown> }
    | { readonly type: 'tool_result'; readonly id: string; readonly at: number; readonly agent: string; readonly callId: string; readonly name: string; readonly output: string; readonly isError: boolean }
    | { readonly type: 'note'; readonly id: string; readonly at: number; readonly text: string };

export interface V1SnapshotFile {
    /** Workspace-relative, `/`-separated, checked to stay inside the workspace. */
    readonly path: string;
    readonly size: number;
    readonly sha256: string;
    readonly executable: boolean;
}

export interface V1Snapshot {
    readonly id: string;
    readonly takenAt: number;
    readonly manifest: V1ObjectInfo;
    readonly files: readonly V1SnapshotFile[];
}

export interface V1UsageRecord {
    readonly id: string;
    readonly at: number;
    readonly sessionId?: string;
    readonly agent: string;
    readonly provider: string;
    readonly model: string;
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly cacheReadTokens: number;
    readonly cacheWriteTokens: number;
    /** What v1 charged, in USD, as v1 recorded it. */
    readonly costUsd: number;
    readonly batch: string;
}

/** A user's objects, sorted by kind: what one listing of `users/<id>/` shows. */
export interface V1UserIndex {
    readonly userId: string;
    readonly profile?: V1ObjectInfo;
    readonly sessions: ReadonlyMap<string, { meta?: V1ObjectInfo; parts: V1ObjectInfo[] }>;
    readonly manifests: readonly V1ObjectInfo[];
    readonly blobs: ReadonlyMap<string, V1ObjectInfo>;
    readonly usage: readonly V1ObjectInfo[];
    /** Every object of the user, for fingerprints: what changed in v1 since a migration read it. */
    readonly objects: readonly V1ObjectInfo[];
}

/** Keys of the layout (the generator writes by these too, so both sides follow one definition). */
export const V1Keys = {
    users: 'users/',
    user: (user: string) => `users/${user}/`,
    profile: (user: string) => `users/${user}/profile.json`,
    sessionMeta: (user: string, session: string) => `users/${user}/sessions/${session}/meta.json`,
    logPart: (user: string, session: string, part: number) => `users/${user}/sessions/${session}/log/${String(part).padStart(6, '0')}.jsonl`,
    manifest: (user: string, snapshot: string) => `users/${user}/snapshots/${snapshot}/manifest.json`,
    blob: (user: string, sha256: string) => `users/${user}/blobs/${sha256}`,
    usage: (user: string, month: string, batch: string) => `users/${user}/usage/${month}/${batch}.jsonl`,
};

/** User, session, snapshot and batch ids: what v1 generated (URL-safe), so also safe in v2 names. */
const IdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}$/;
const Sha256Pattern = /^[0-9a-f]{64}$/;

export class V1Reader {
    constructor(readonly source: V1Source) { }

    /** Every user id in the store, in key order. */
    async *users(): AsyncIterable<string> {
        for await (const folder of this.source.folders(V1Keys.users)) {
            yield folder.slice(V1Keys.users.length, -1);
        }
    }

    /** Lists the user's objects and sorts them by kind; an object the layout has no place for is a problem. */
    async index(userId: string, problems: V1Problem[]): Promise<V1UserIndex> {
        if (!IdPattern.test(userId)) {
            throw new V1SourceError(`"${userId}" is not a v1 user id (letters, digits, ".", "_" and "-", up to 120); check the id.`);
        }
        const base = V1Keys.user(userId);
        let profile: V1ObjectInfo | undefined;
        const sessions = new Map<string, { meta?: V1ObjectInfo; parts: V1ObjectInfo[] }>();
        const manifests: V1ObjectInfo[] = [];
        const blobs = new Map<string, V1ObjectInfo>();
        const usage: V1ObjectInfo[] = [];
        const objects: V1ObjectInfo[] = [];
        for await (const object of this.source.list(base)) {
            objects.push(object);
            const rest = object.key.slice(base.length);
            let m: RegExpExecArray | null;
            if (rest === 'profile.json') {
                profile = object;
            } else if ((m = /^sessions\/([^/]+)\/(meta\.json|log\/(\d{6})\.jsonl)$/.exec(rest)) && IdPattern.test(m[1])) {
                const session = sessions.get(m[1]) ?? { parts: [] };
                sessions.set(m[1], session);
                if (m[2] === 'meta.json') {
                    session.meta = object;
                } else {
                    session.parts.push(object);
                }
            } else if ((m = /^snapshots\/([^/]+)\/manifest\.json$/.exec(rest)) && IdPattern.test(m[1])) {
                manifests.push(object);
            } else if ((m = /^blobs\/([^/]+)$/.exec(rest)) && Sha256Pattern.test(m[1])) {
                blobs.set(m[1], object);
            } else if ((m = /^usage\/(\d{4}-\d{2})\/([^/]+)\.jsonl$/.exec(rest)) && IdPattern.test(m[2])) {
                usage.push(object);
            } else {
                problems.push({ user: userId, object: object.key, problem: 'an object the v1 layout has no place for', action: 'check whether it is v1 data; it is left out of the migration (docs/v1-layout.md lists what is read)' });
            }
        }
        if (!objects.length) {
            throw new V1SourceError(`No v1 data for user "${userId}" in ${this.source.description}; check the id (coditect-workspace migrate plan --all lists the users).`, true);
        }
        if (!profile) {
            problems.push({ user: userId, object: V1Keys.profile(userId), problem: 'the profile is missing', action: 'restore profile.json from a v1 backup; the user\'s other data is migrated under the id alone' });
        }
        for (const [id, session] of sessions) {
            session.parts.sort((a, b) => a.key.localeCompare(b.key));
            if (!session.meta) {
                problems.push({ user: userId, object: V1Keys.sessionMeta(userId, id), problem: 'the session\'s meta.json is missing: its log cannot be given a title, agents or times', action: 'restore meta.json from a v1 backup; until then the session is left out' });
            }
        }
        return { userId, profile, sessions, manifests, blobs, usage, objects };
    }

    async profile(index: V1UserIndex, problems: V1Problem[]): Promise<V1Profile> {
        const fallback: V1Profile = { userId: index.userId, displayName: index.userId, createdAt: 0 };
        if (!index.profile) {
            return fallback;
        }
        const value = await this.json(index.userId, index.profile.key, problems);
        if (!value || !this.knownVersion(index.userId, index.profile.key, value, 'profile', problems)) {
            return fallback;
        }
        const fields = new Fields(value);
        const profile = {
            userId: fields.string('userId'), email: fields.optionalString('email'),
            displayName: fields.optionalString('displayName') ?? index.userId, createdAt: fields.time('createdAt'),
        };
        if (fields.wrong.length || profile.userId !== index.userId) {
            problems.push(this.recordProblem(index.userId, index.profile.key, undefined, fields.wrong.length ? fields.describe() : `its userId "${profile.userId}" is not the folder's "${index.userId}"`));
            return fallback;
        }
        return profile;
    }

    /** The sessions whose meta.json reads, oldest first; the others are problems. */
    async sessions(index: V1UserIndex, problems: V1Problem[]): Promise<V1Session[]> {
        const sessions: V1Session[] = [];
        for (const [id, entry] of index.sessions) {
            if (!entry.meta) {
                continue;
            }
            const value = await this.json(index.userId, entry.meta.key, problems);
            if (!value || !this.knownVersion(index.userId, entry.meta.key, value, 'session', problems)) {
                continue;
            }
            const fields = new Fields(value);
            const sessionId = fields.string('sessionId');
            const title = fields.optionalString('title') ?? `v1 session ${id}`;
            // Version 1 had one agent per session; version 2 several.
            const agents: V1Agent[] = value.version === 1
                ? [{ id: fields.string('agent'), model: fields.optionalString('model') }]
                : fields.array('agents').map((a, i) => new Fields(a as Record<string, unknown>, `agents[${i}].`, fields.wrong)).map(f => ({ id: f.string('id'), model: f.optionalString('model') }));
            const startedAt = fields.time('startedAt');
            const endedAt = value.endedAt === undefined || value.endedAt === null ? undefined : fields.time('endedAt');
            if (fields.wrong.length || sessionId !== id) {
                problems.push(this.recordProblem(index.userId, entry.meta.key, undefined, fields.wrong.length ? fields.describe() : `its sessionId "${sessionId}" is not the folder's "${id}"`));
                continue;
            }
            sessions.push({ id, title, agents, startedAt, endedAt, meta: entry.meta, parts: entry.parts });
        }
        return sessions.sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
    }

    /**
     * The session's log records in order. A line that does not read is a problem and left out; the
     * last line of the last part without its newline is a log v1 was still writing when it stopped.
     */
    async log(userId: string, session: V1Session, problems: V1Problem[]): Promise<V1LogRecord[]> {
        const records: V1LogRecord[] = [];
        const seen = new Map<string, string>();
        for (const [p, part] of session.parts.entries()) {
            const lastPart = p === session.parts.length - 1;
            for (const { line, value, error, truncated } of await this.lines(part.key)) {
                if (error) {
                    problems.push(truncated && lastPart
                        ? { user: userId, object: part.key, line, problem: 'the log ends in a cut-off line (v1 stopped while writing it)', action: 'nothing to recover: the lines before it are migrated' }
                        : this.recordProblem(userId, part.key, line, `not JSON: ${error}`));
                    continue;
                }
                if (!this.knownVersion(userId, part.key, value!, 'log', problems, line, 'v')) {
                    continue;
                }
                const record = logRecord(value!);
                if (typeof record === 'string') {
                    problems.push(this.recordProblem(userId, part.key, line, record));
                } else if (seen.has(record.id)) {
                    // The same record again is a retried write, one record; a different one under the same id is a conflict.
                    if (seen.get(record.id) !== JSON.stringify(value)) {
                        problems.push({ user: userId, object: part.key, line, problem: `record id "${record.id}" appears twice in the session with different contents`, action: 'the first is migrated; check which one v1 meant to keep' });
                    }
                } else {
                    seen.set(record.id, JSON.stringify(value));
                    records.push(record);
                }
            }
        }
        return records;
    }

    /** The newest snapshot whose manifest reads: the user's workspace files. */
    async latestSnapshot(index: V1UserIndex, problems: V1Problem[]): Promise<V1Snapshot | undefined> {
        const snapshots: V1Snapshot[] = [];
        for (const manifest of index.manifests) {
            const value = await this.json(index.userId, manifest.key, problems);
            if (!value || !this.knownVersion(index.userId, manifest.key, value, 'snapshot', problems)) {
                continue;
            }
            const fields = new Fields(value);
            const id = fields.string('snapshotId');
            const takenAt = fields.time('takenAt');
            const entries = fields.array('files');
            if (fields.wrong.length) {
                problems.push(this.recordProblem(index.userId, manifest.key, undefined, fields.describe()));
                continue;
            }
            snapshots.push({ id, takenAt, manifest, files: this.snapshotFiles(index, manifest.key, entries, problems) });
        }
        return snapshots.sort((a, b) => b.takenAt - a.takenAt)[0];
    }

    /** A file's bytes, checked against the manifest's size and SHA-256. */
    async blob(userId: string, file: V1SnapshotFile): Promise<Buffer> {
        const key = V1Keys.blob(userId, file.sha256);
        const bytes = await this.source.get(key);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        if (bytes.length !== file.size || sha256 !== file.sha256) {
            throw new V1SourceError(`${key} (${file.path}) holds ${bytes.length} bytes with SHA-256 ${sha256.slice(0, 12)}…, not the manifest's ${file.size} bytes and ${file.sha256.slice(0, 12)}…: the blob is damaged; restore it from a v1 backup.`);
        }
        return bytes;
    }

    /** Every usage record, by batch in key order; ids must be unique across the user's batches. */
    async usage(index: V1UserIndex, problems: V1Problem[]): Promise<V1UsageRecord[]> {
        const records: V1UsageRecord[] = [];
        const seen = new Map<string, string>();
        for (const batch of index.usage) {
            for (const { line, value, error } of await this.lines(batch.key)) {
                if (error) {
                    problems.push(this.recordProblem(index.userId, batch.key, line, `not JSON: ${error}`));
                    continue;
                }
                if (!this.knownVersion(index.userId, batch.key, value!, 'usage', problems, line, 'v')) {
                    continue;
                }
                const f = new Fields(value!);
                const record: V1UsageRecord = {
                    id: f.string('id'), at: f.time('at'), sessionId: f.optionalString('sessionId'), agent: f.string('agent'), provider: f.string('provider'),
                    model: f.string('model'), inputTokens: f.count('inputTokens'), outputTokens: f.count('outputTokens'),
                    cacheReadTokens: f.count('cacheReadTokens', 0), cacheWriteTokens: f.count('cacheWriteTokens', 0), costUsd: f.amount('costUsd'), batch: batch.key,
                };
                if (f.wrong.length) {
                    problems.push(this.recordProblem(index.userId, batch.key, line, f.describe()));
                } else if (seen.has(record.id)) {
                    // v1 wrote a batch again after a retry: the same record is counted once; a different one is a conflict.
                    if (seen.get(record.id) !== JSON.stringify(value)) {
                        problems.push({ user: index.userId, object: batch.key, line, problem: `usage id "${record.id}" was already read with other figures`, action: 'the first is migrated; check which one v1 billed' });
                    }
                } else {
                    seen.set(record.id, JSON.stringify(value));
                    records.push(record);
                }
            }
        }
        return records;
    }

    protected snapshotFiles(index: V1UserIndex, key: string, entries: unknown[], problems: V1Problem[]): V1SnapshotFile[] {
        const files: V1SnapshotFile[] = [];
        const paths = new Set<string>();
        for (const [i, entry] of entries.entries()) {
            const f = new Fields(entry as Record<string, unknown>, `files[${i}].`);
            const file = { path: f.string('path'), size: f.count('size'), sha256: f.string('sha256'), executable: f.optionalBoolean('executable') ?? false };
            const pathProblem = f.wrong.length ? undefined : workspacePathProblem(file.path);
            if (f.wrong.length || !Sha256Pattern.test(file.sha256)) {
                problems.push(this.recordProblem(index.userId, key, undefined, f.wrong.length ? f.describe() : `files[${i}].sha256 is not 64 hex digits`));
            } else if (pathProblem) {
                problems.push({ user: index.userId, object: key, problem: `files[${i}].path ${JSON.stringify(file.path)} ${pathProblem}`, action: 'the file is left out; copy it by hand under a valid name if it is needed' });
            } else if (paths.has(file.path.toLowerCase())) {
                problems.push({ user: index.userId, object: key, problem: `files[${i}].path "${file.path}" is listed twice (letter case aside)`, action: 'the first is migrated; rename the other in v1 if both are needed' });
            } else if (!index.blobs.has(file.sha256)) {
                problems.push({ user: index.userId, object: V1Keys.blob(index.userId, file.sha256), problem: `the content of "${file.path}" is missing`, action: 'restore the blob from a v1 backup; until then the file is left out' });
            } else {
                paths.add(file.path.toLowerCase());
                files.push(file);
            }
        }
        return files;
    }

    protected async json(userId: string, key: string, problems: V1Problem[]): Promise<Record<string, unknown> | undefined> {
        const text = (await this.source.get(key)).toString('utf8');
        try {
            const value = JSON.parse(text) as unknown;
            if (value && typeof value === 'object' && !Array.isArray(value)) {
                return value as Record<string, unknown>;
            }
            problems.push(this.recordProblem(userId, key, undefined, 'not a JSON object'));
        } catch (error) {
            problems.push(this.recordProblem(userId, key, undefined, `not JSON: ${(error as Error).message}`));
        }
        return undefined;
    }

    protected async lines(key: string): Promise<{ line: number; value?: Record<string, unknown>; error?: string; truncated: boolean }[]> {
        const text = (await this.source.get(key)).toString('utf8');
        const lines = text.split('\n');
        const endsWithNewline = lines[lines.length - 1] === '';
        if (endsWithNewline) {
            lines.pop();
        }
        const out = [];
        for (const [i, line] of lines.entries()) {
            if (!line.trim()) {
                continue;
            }
            const truncated = !endsWithNewline && i === lines.length - 1;
            try {
                const value = JSON.parse(line) as unknown;
                if (!value || typeof value !== 'object' || Array.isArray(value)) {
                    out.push({ line: i + 1, error: 'not a JSON object', truncated });
                } else {
                    out.push({ line: i + 1, value: value as Record<string, unknown>, truncated });
                }
            } catch (error) {
                out.push({ line: i + 1, error: (error as Error).message, truncated });
            }
        }
        return out;
    }

    protected knownVersion(userId: string, key: string, value: Record<string, unknown>, kind: keyof typeof V1Versions, problems: V1Problem[], line?: number, field = 'version'): boolean {
        const known: readonly number[] = V1Versions[kind];
        if (known.includes(value[field] as number)) {
            return true;
        }
        problems.push({
            user: userId, object: key, line, problem: `${field} ${JSON.stringify(value[field] ?? null)} is not a ${kind} version this migration knows (${known.join(', ')})`,
            action: 'teach migration/v1-reader.ts and docs/v1-layout.md that version; until then the record is left out',
        });
        return false;
    }

    protected recordProblem(user: string, object: string, line: number | undefined, problem: string): V1Problem {
        return { user, object, line, problem, action: 'fix the record in a copy of the v1 data or accept leaving it out (migrate run --allow-skips)' };
    }
}

/** Why a manifest path cannot be a workspace file, or undefined when it can. */
export function workspacePathProblem(p: string): string | undefined {
    if (!p || p.length > 1024) {
        return 'is empty or longer than 1,024 characters';
    }
    if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) {
        return 'is absolute; manifest paths are relative to the workspace';
    }
    if ([...p].some(c => c.charCodeAt(0) < 0x20 || c === '\\')) {
        return 'holds a control character or a backslash';
    }
    const segments = p.split('/');
    if (segments.some(s => s === '' || s === '.' || s === '..')) {
        return 'has an empty, "." or ".." segment: it would leave or blur the workspace';
    }
    if (segments.some(s => Buffer.byteLength(s) > 255)) {
        return 'has a name longer than 255 bytes';
    }
    if (segments[0] === '.git') {
        return 'is inside .git, which the workspace\'s own Git keeps';
    }
    return undefined;
}

function logRecord(value: Record<string, unknown>): V1LogRecord | string {
    const f = new Fields(value);
    const base = { id: f.string('id'), at: f.time('at') };
    let record: V1LogRecord;
    switch (value.type) {
        case 'message': {
            const role = f.string('role');
            if (role !== 'user' && role !== 'assistant' && role !== 'system') {
                return `role "${role}" is not user, assistant or system`;
            }
            record = { type: 'message', ...base, role, agent: f.optionalString('agent'), text: f.text('text') };
            break;
        }
        case 'tool_call':
            record = { type: 'tool_call', ...base, agent: f.string('agent'), callId: f.string('callId'), name: f.string('name'), args: f.object('args') };
            break;
        case 'tool_result':
            record = { type: 'tool_result', ...base, agent: f.string('agent'), callId: f.string('callId'), name: f.optionalString('name') ?? '', output: f.text('output'), isError: f.optionalBoolean('isError') ?? false };
            break;
        case 'note':
            record = { type: 'note', ...base, text: f.text('text') };
            break;
        default:
            return `type ${JSON.stringify(value.type ?? null)} is not message, tool_call, tool_result or note`;
    }
    return f.wrong.length ? f.describe() : record;
}

/** Reads typed fields of one record, collecting what is wrong rather than stopping at the first. */
class Fields {
    constructor(protected readonly value: Record<string, unknown>, protected readonly prefix = '', readonly wrong: string[] = []) {
        if (!value || typeof value !== 'object') {
            this.value = {};
            wrong.push(`${prefix || 'the record '}is not an object`);
        }
    }

    describe(): string {
        return this.wrong.join('; ');
    }

    string(name: string): string {
        const v = this.value[name];
        if (typeof v === 'string' && v.trim()) {
            return v;
        }
        this.wrong.push(`${this.prefix}${name} is missing or not a non-empty string`);
        return '';
    }

    /** Text that may be empty (a message v1 kept with no words). */
    text(name: string): string {
        const v = this.value[name];
        if (typeof v === 'string') {
            return v;
        }
        this.wrong.push(`${this.prefix}${name} is missing or not a string`);
        return '';
    }

    optionalString(name: string): string | undefined {
        const v = this.value[name];
        return v === undefined || v === null ? undefined : this.string(name);
    }

    optionalBoolean(name: string): boolean | undefined {
        const v = this.value[name];
        if (v === undefined || v === null || typeof v === 'boolean') {
            return v ?? undefined;
        }
        this.wrong.push(`${this.prefix}${name} is not true or false`);
        return undefined;
    }

    /** An ISO 8601 time (what v1 wrote), as epoch milliseconds. */
    time(name: string): number {
        const v = this.value[name];
        const at = typeof v === 'string' ? Date.parse(v) : NaN;
        if (Number.isFinite(at)) {
            return at;
        }
        this.wrong.push(`${this.prefix}${name} is missing or not an ISO 8601 time`);
        return 0;
    }

    count(name: string, fallback?: number): number {
        const v = this.value[name];
        if (v === undefined && fallback !== undefined) {
            return fallback;
        }
        if (Number.isSafeInteger(v) && (v as number) >= 0) {
            return v as number;
        }
        this.wrong.push(`${this.prefix}${name} is missing or not a whole number ≥ 0`);
        return 0;
    }

    amount(name: string): number {
        const v = this.value[name];
        if (typeof v === 'number' && Number.isFinite(v) && v >= 0) {
            return v;
        }
        this.wrong.push(`${this.prefix}${name} is missing or not an amount ≥ 0`);
        return 0;
    }

    object(name: string): Record<string, unknown> {
        const v = this.value[name];
        if (v && typeof v === 'object' && !Array.isArray(v)) {
            return v as Record<string, unknown>;
        }
        this.wrong.push(`${this.prefix}${name} is missing or not an object`);
        return {};
    }

    array(name: string): unknown[] {
        const v = this.value[name];
        if (Array.isArray(v)) {
            return v;
        }
        this.wrong.push(`${this.prefix}${name} is missing or not a list`);
        return [];
    }
}
