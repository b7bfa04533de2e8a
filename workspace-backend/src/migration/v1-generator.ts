import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseS3Url } from './v1-source';
import { V1Keys } from './v1-reader';

/**
 * Generates realistic v1 data for the migration's tests and benchmark (docs/v1-layout.md): many
 * users, sessions of one agent (version 1) and of several (version 2), logs of every record kind
 * over several parts, workspace snapshots with binary files and odd names, usage batches over
 * months. Deterministic from the seed. With `faults`, chosen users get one of each kind of bad
 * data the migration must report, and `expected` says what must still come through.
 */
export interface V1GeneratorOptions {
    readonly users: number;
    readonly seed?: number;
    /** Records of the largest sessions' logs (a few sessions get this many); default 2,000. */
    readonly largeLogRecords?: number;
    /** The user ids that get one of every kind of bad data. */
    readonly faultyUsers?: readonly string[];
    /** Prefix of the user ids; default `u`. */
    readonly userPrefix?: string;
}

export type V1FaultKind = 'truncated-log' | 'invalid-json' | 'unknown-version' | 'missing-blob' | 'duplicate-id' | 'invalid-path';

/** What a migration of a generated user must produce: counted from what was written, not from the reader. */
export interface V1ExpectedUser {
    readonly userId: string;
    readonly displayName: string;
    readonly sessions: number;
    /** Log records that convert (every line of a session that reads). */
    readonly records: number;
    readonly files: number;
    readonly bytes: number;
    readonly usageRecords: number;
    readonly tokens: number;
    /** The faults planted, with the key of the object each is in. */
    readonly faults: readonly { kind: V1FaultKind; object: string }[];
}

export interface V1Sink {
    put(key: string, body: Buffer): Promise<void>;
}

export interface V1ObjectsWritten {
    readonly users: readonly V1ExpectedUser[];
    readonly objects: number;
    readonly bytes: number;
}

const Agents = [
    { id: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-5' },
    { id: 'gemini', provider: 'google', model: 'gemini-2.5-pro' },
    { id: 'codex', provider: 'openai', model: 'gpt-5-codex' },
];

const Names = ['Ada Lovelace', 'Grace Hopper', 'Linus Torvalds', 'Margaret Hamilton', 'Émile Zola', 'Søren Kierkegaard', '李小龙', 'Zoë O\'Brien'];

/** Workspace paths as people name them: nested, Unicode, spaces and punctuation. */
const OddPaths = ['docs/Résumé & notes.md', 'src/ünïcødé/файл.ts', 'with space/a b (1).txt', 'emoji 🚀/launch.md', 'hash#and%percent+plus.txt', 'deep/a/b/c/d/e/f/g/h/leaf.json'];

export async function generateV1Data(sink: V1Sink, options: V1GeneratorOptions): Promise<V1ObjectsWritten> {
    const random = mulberry32(options.seed ?? 1);
    const faulty = new Set(options.faultyUsers ?? []);
    const users: V1ExpectedUser[] = [];
    let objects = 0;
    let bytes = 0;
    const put = async (key: string, body: Buffer | string) => {
        const data = typeof body === 'string' ? Buffer.from(body) : body;
        await sink.put(key, data);
        objects++;
        bytes += data.length;
    };
    for (let u = 0; u < options.users; u++) {
        const userId = `${options.userPrefix ?? 'u'}${String(u + 1).padStart(4, '0')}`;
        users.push(await generateUser(userId, random, faulty.has(userId), options.largeLogRecords ?? 2000, u, put));
    }
    return { users, objects, bytes };
}

async function generateUser(userId: string, random: () => number, faulty: boolean, largeLogRecords: number, index: number,
    put: (key: string, body: Buffer | string) => Promise<void>): Promise<V1ExpectedUser> {
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const faults: { kind: V1FaultKind; object: string }[] = [];
    const displayName = Names[index % Names.length];
    const t0 = Date.UTC(2025, 0, 1) + index * 86_400_000;
    await put(V1Keys.profile(userId), JSON.stringify({ version: 1, userId, email: `${userId}@example.com`, displayName, createdAt: new Date(t0).toISOString() }));

    // Sessions: a few of each version; the first of every tenth user is a large log over several parts.
    let sessions = 0;
    let records = 0;
    const sessionCount = 2 + Math.floor(random() * 4);
    for (let s = 0; s < sessionCount; s++) {
        const sessionId = `s${String(s + 1).padStart(3, '0')}-${Math.floor(random() * 0xffffff).toString(16)}`;
        const startedAt = t0 + s * 3_600_000;
        const version = s % 2 === 0 ? 1 : 2;
        const agents = version === 1 ? [pick(Agents)] : [Agents[0], Agents[1 + Math.floor(random() * 2)]];
        const metaKey = V1Keys.sessionMeta(userId, sessionId);
        const meta = version === 1
            ? { version, sessionId, title: `Session ${s + 1}: ${pick(['fix the login bug', 'add CSV export', 'refactor the parser', 'write tests'])}`, agent: agents[0].id, model: agents[0].model, startedAt: iso(startedAt), endedAt: iso(startedAt + 1_800_000) }
            : { version, sessionId, title: `Pairing on ${pick(['the API', 'the UI', 'the build'])}`, agents: agents.map(a => ({ id: a.id, model: a.model })), startedAt: iso(startedAt) };
        if (faulty && s === 1) {
            // A session written by a v1 release newer than this migration knows.
            await put(metaKey, JSON.stringify({ ...meta, version: 3 }));
            faults.push({ kind: 'unknown-version', object: metaKey });
        } else {
            await put(metaKey, JSON.stringify(meta));
            sessions++;
        }
        const large = s === 0 && index % 10 === 0;
        const total = large ? largeLogRecords : 10 + Math.floor(random() * 40);
        const lines = logLines(sessionId, agents.map(a => a.id), total, startedAt, random);
        const perPart = large ? Math.ceil(total / 3) : total;
        const parts: string[][] = [];
        for (let i = 0; i < lines.length; i += perPart) {
            parts.push(lines.slice(i, i + perPart));
        }
        const kept = lines.length;
        if (faulty && s === 0) {
            // A line that is not JSON in the middle, a record id written twice, and a log cut off mid-line.
            parts[0].splice(3, 0, '{"v":1,"id":"broken","type":"message",');
            faults.push({ kind: 'invalid-json', object: V1Keys.logPart(userId, sessionId, 1) });
            parts[0].splice(5, 0, parts[0][4].replace(/}$/, ',"retry":2}'));
            faults.push({ kind: 'duplicate-id', object: V1Keys.logPart(userId, sessionId, 1) });
            // A retried write: the same record again, which is one record and no fault.
            parts[0].splice(7, 0, parts[0][6]);
            const last = parts[parts.length - 1];
            last.push(last[last.length - 1].slice(0, 25));
            faults.push({ kind: 'truncated-log', object: V1Keys.logPart(userId, sessionId, parts.length) });
        }
        for (const [p, part] of parts.entries()) {
            const cutOff = faulty && s === 0 && p === parts.length - 1;
            await put(V1Keys.logPart(userId, sessionId, p + 1), part.join('\n') + (cutOff ? '' : '\n'));
        }
        if (!(faulty && s === 1)) {
            records += kept;
        }
    }

    // Two snapshots: the older one is not the workspace; the newer one is, with text, binary and odd names.
    const files: { path: string; content: Buffer; executable?: boolean }[] = [
        { path: 'README.md', content: Buffer.from(`# ${displayName}'s project\n\nMigrated from v1.\n`) },
        { path: 'src/index.ts', content: Buffer.from(`export const answer = ${index};\n`) },
        { path: 'scripts/build.sh', content: Buffer.from('#!/bin/sh\nset -e\nnpm run build\n'), executable: true },
        { path: 'assets/logo.png', content: binary(random, 2048 + Math.floor(random() * 30_000)) },
        { path: 'data/blob.bin', content: binary(random, index % 10 === 0 ? 1_500_000 : 20_000) },
        { path: 'empty.txt', content: Buffer.alloc(0) },
        ...OddPaths.map(p => ({ path: p, content: Buffer.from(`${p} of ${userId}\n`) })),
    ];
    const older = files.slice(0, 2).map(f => ({ ...f, content: Buffer.from(`${f.content.toString()}(older)\n`) }));
    for (const f of [...older, ...files]) {
        await put(V1Keys.blob(userId, sha256(f.content)), f.content);
    }
    const manifestOf = (snapshotId: string, takenAt: number, list: typeof files, extra: object[] = []) => JSON.stringify({
        version: 1, snapshotId, takenAt: iso(takenAt),
        files: [...list.map(f => ({ path: f.path, size: f.content.length, sha256: sha256(f.content), ...(f.executable ? { executable: true } : {}) })), ...extra],
    });
    await put(V1Keys.manifest(userId, 'snap-0001'), manifestOf('snap-0001', t0 + 1_000, older));
    const newest = V1Keys.manifest(userId, 'snap-0002');
    const extra: object[] = [];
    if (faulty) {
        const ghost = Buffer.from('never uploaded');
        extra.push({ path: 'lost/ghost.txt', size: ghost.length, sha256: sha256(ghost) });
        faults.push({ kind: 'missing-blob', object: V1Keys.blob(userId, sha256(ghost)) });
        extra.push({ path: '../outside.txt', size: 5, sha256: sha256(files[0].content) });
        faults.push({ kind: 'invalid-path', object: newest });
    }
    await put(newest, manifestOf('snap-0002', t0 + 80_000_000, files, extra));

    // Usage: a batch per session per month, over two months.
    let usageRecords = 0;
    let tokens = 0;
    let firstUsageLine: string | undefined;
    for (const month of ['2025-01', '2025-02']) {
        for (let b = 0; b < 2; b++) {
            const batchId = `b${month.replace('-', '')}-${b}`;
            const lines: string[] = [];
            const n = 5 + Math.floor(random() * 20);
            for (let i = 0; i < n; i++) {
                const agent = pick(Agents);
                const inputTokens = 500 + Math.floor(random() * 20_000);
                const outputTokens = 50 + Math.floor(random() * 4_000);
                const cacheReadTokens = Math.floor(random() * 2) * Math.floor(random() * 10_000);
                const at = Date.parse(`${month}-01T00:00:00Z`) + (b * 100 + i) * 60_000;
                lines.push(JSON.stringify({
                    v: 1, id: `${batchId}-${i}`, at: iso(at), sessionId: 's001', agent: agent.id, provider: agent.provider, model: agent.model,
                    inputTokens, outputTokens, cacheReadTokens, costUsd: Math.round((inputTokens * 3 + outputTokens * 15) / 1000) / 1000,
                }));
                usageRecords++;
                tokens += inputTokens + outputTokens + cacheReadTokens;
            }
            firstUsageLine ??= lines[0];
            const key = V1Keys.usage(userId, month, batchId);
            if (faulty && month === '2025-02' && b === 1) {
                // A record of an earlier batch again: once as it was (a retried write, no fault), once with other figures.
                lines.push(firstUsageLine, firstUsageLine.replace('"inputTokens":', '"inputTokens":1'));
                faults.push({ kind: 'duplicate-id', object: key });
            }
            await put(key, lines.join('\n') + '\n');
        }
    }
    return {
        userId, displayName, sessions, records, files: files.length, bytes: files.reduce((n, f) => n + f.content.length, 0),
        usageRecords, tokens, faults,
    };
}

/** A session's log: the person asks, agents think, call tools and get results, notes between. */
function logLines(sessionId: string, agents: readonly string[], total: number, startedAt: number, random: () => number): string[] {
    const lines: string[] = [];
    let at = startedAt;
    for (let i = 0; lines.length < total; i++) {
        const agent = agents[i % agents.length];
        const step = lines.length % 5;
        at += 1000 + Math.floor(random() * 20_000);
        const id = `${sessionId}-${lines.length + 1}`;
        const callId = `call-${sessionId}-${i}`;
        const record = step === 0 ? { v: 1, id, at: iso(at), type: 'message', role: 'user', text: `Please change part ${i} — with "quotes", émoji 🚀 and a\nnew line` }
            : step === 1 ? { v: 1, id, at: iso(at), type: 'message', role: 'assistant', agent, text: `I will edit src/part-${i}.ts. `.repeat(1 + Math.floor(random() * 20)) }
                : step === 2 ? { v: 1, id, at: iso(at), type: 'tool_call', agent, callId, name: 'write_file', args: { path: `src/part-${i}.ts`, content: `export const part = ${i};\n` } }
                    : step === 3 ? { v: 1, id, at: iso(at), type: 'tool_result', agent, callId, name: 'write_file', output: random() < 0.1 ? 'EACCES: permission denied' : 'wrote 24 bytes', isError: false }
                        : { v: 1, id, at: iso(at), type: 'note', text: `Context compacted after ${i} turns` };
        lines.push(JSON.stringify(record));
    }
    return lines;
}

/** Writes generated objects into an S3 bucket (the tests' s3rver, or a staging R2 bucket). */
export function s3Sink(options: { url: string; endpoint?: string; region?: string; credentials?: { accessKeyId: string; secretAccessKey: string } }): V1Sink & { close(): void } {
    const { bucket, prefix } = parseS3Url(options.url);
    const client = new S3Client({
        endpoint: options.endpoint, region: options.region ?? 'auto', forcePathStyle: options.endpoint !== undefined, credentials: options.credentials,
        requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return {
        put: async (key, body) => {
            await client.send(new PutObjectCommand({ Bucket: bucket, Key: prefix + key, Body: body }));
        },
        close: () => client.destroy(),
    };
}

/** Random bytes behind a PNG signature: content no text decoder survives. */
function binary(random: () => number, size: number): Buffer {
    const data = Buffer.alloc(size);
    for (let i = 0; i < size; i++) {
        data[i] = Math.floor(random() * 256);
    }
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(data, 0, 0, Math.min(8, size));
    return data;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const iso = (at: number) => new Date(at).toISOString();

/** A small seeded generator: the same seed writes the same data. */
function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
