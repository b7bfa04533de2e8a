import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseCluster, SessionTimeline, TimelineFilter } from '@coditect/workspace-backend';
import { BenchFigures, BenchSuite } from '../bench-suite';
import { percentile, round } from '../bench-stats';

const events = Number(process.env.BENCH_TIMELINE_EVENTS ?? 100_000);
const seeks = Number(process.env.BENCH_TIMELINE_SEEKS ?? 1000);
const importLines = Number(process.env.BENCH_TIMELINE_IMPORT_LINES ?? 100_000);
const pageSize = 100;

const agents = ['claude', 'gemini', 'codex', 'kimi'];
const files = Array.from({ length: 30 }, (_, i) => `src/module-${i}.ts`);

/** Deterministic, so two runs measure the same session. */
function random(seed: number): () => number {
    let x = seed;
    return () => {
        x = (x * 1103515245 + 12345) % 2147483648;
        return x / 2147483648;
    };
}

function p99(samples: number[]): number {
    return round(percentile(samples, 99), 3);
}

/** A session like four busy agents leave: tool calls, model turns, usage, locks, task changes and file edits (with real diffs). */
function recordSession(timeline: SessionTimeline, next: () => number): { seconds: number } {
    const contents = new Map<string, string>(files.map(f => [f, Array.from({ length: 120 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n']));
    const started = performance.now();
    for (let i = 0; i < events; i++) {
        const agentId = agents[i % agents.length];
        const taskId = 1 + Math.floor(i / 200);
        const file = files[Math.floor(next() * files.length)];
        const pick = i % 10;
        if (pick === 0) {
            const before = contents.get(file)!;
            const lines = before.split('\n');
            lines[Math.floor(next() * (lines.length - 1))] = `export const edited${i} = ${i};`;
            const after = lines.join('\n');
            contents.set(file, after);
            timeline.recordFileEdit({ path: file, before, after, agentId, taskId, by: agentId });
        } else if (pick < 5) {
            timeline.record({ kind: 'tool-call', agentId, taskId, path: file, data: { phase: pick % 2 ? 'started' : 'finished', step: i % 30, call: { id: `c${i}`, name: 'read_file', arguments: { path: file } }, result: { content: 'x'.repeat(200), isError: false } } });
        } else if (pick < 7) {
            timeline.record({ kind: 'model-turn', agentId, taskId, data: { step: i % 30, text: `I will look at ${file} next, because turn ${i} needs it.` } });
        } else if (pick === 7) {
            timeline.record({ kind: 'usage', agentId, taskId, data: { model: 'm', usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 1000, cacheWriteTokens: 0, reasoningTokens: 0 } } });
        } else if (pick === 8) {
            timeline.record({ kind: 'lock', agentId, taskId, path: file, data: { change: 'acquired', path: file, mode: 'exclusive', owner: { id: `agent:${agentId}`, kind: 'agent', displayName: agentId } } });
        } else {
            timeline.record({ kind: 'agent-state', agentId, taskId, data: { from: 'executing', to: 'waiting', reason: `waiting for lock on ${file}` } });
        }
        if (i % 2000 === 1999) {
            timeline.flush();
        }
    }
    timeline.flush();
    return { seconds: (performance.now() - started) / 1000 };
}

/** The naive design as a baseline: migration 1's table (session, kind, payload, time; indexed by session and time) seeked with OFFSET. */
function naiveBaseline(dir: string, session: string, next: () => number, log: (m: string) => void): { seek: number[]; filtered: number[] } {
    const db = new Database(path.join(dir, 'naive.db'));
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE timeline_events (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL, kind TEXT NOT NULL, data_json TEXT NOT NULL, at INTEGER NOT NULL) STRICT;
        CREATE INDEX timeline_events_by_session ON timeline_events(session_id, at);`);
    const insert = db.prepare('INSERT INTO timeline_events (session_id, kind, data_json, at) VALUES (?, ?, ?, ?)');
    const kinds = ['tool-call', 'model-turn', 'usage', 'lock', 'agent-state', 'file-edit'];
    db.transaction(() => {
        for (let i = 0; i < events; i++) {
            insert.run(session, kinds[i % kinds.length], JSON.stringify({ agentId: agents[i % 4], text: 'x'.repeat(250) }), 1_700_000_000_000 + i);
        }
    })();
    const page = db.prepare('SELECT * FROM timeline_events WHERE session_id = ? ORDER BY at LIMIT ? OFFSET ?');
    const filteredPage = db.prepare('SELECT * FROM timeline_events WHERE session_id = ? AND kind IN (\'tool-call\', \'file-edit\') AND json_extract(data_json, \'$.agentId\') = ? ORDER BY at LIMIT ? OFFSET ?');
    const seek: number[] = [];
    const filtered: number[] = [];
    for (let i = 0; i < seeks; i++) {
        let t = performance.now();
        page.all(session, pageSize, Math.floor(next() * events));
        seek.push(performance.now() - t);
        if (i < seeks / 10) {
            t = performance.now();
            filteredPage.all(session, 'gemini', pageSize, Math.floor(next() * events / 12));
            filtered.push(performance.now() - t);
        }
    }
    db.close();
    log(`naive OFFSET seek: p50 ${percentile(seek, 50).toFixed(2)} ms, p99 ${percentile(seek, 99).toFixed(2)} ms; filtered p99 ${percentile(filtered, 99).toFixed(2)} ms`);
    return { seek, filtered };
}

/** A Claude Code transcript of `lines` lines: prompts, answers with tool calls, results, edits. */
function writeTranscript(file: string): number {
    const out = fs.openSync(file, 'w');
    let content = 'export const a = 1;\n';
    const cwd = '/home/dev/project';
    try {
        let buffer = '';
        for (let i = 0; i < importLines; i++) {
            const timestamp = new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString();
            const base = { sessionId: 's', cwd, version: '1.0.98', uuid: `u${i}`, timestamp, isSidechain: false };
            let entry: object;
            switch (i % 4) {
                case 0: entry = { ...base, type: 'user', message: { role: 'user', content: `Please change step ${i}.` } }; break;
                case 1: entry = { ...base, type: 'assistant', message: { id: `msg_${i}`, role: 'assistant', model: 'claude-sonnet-4', content: [{ type: 'text', text: `Working on step ${i}.` }], usage: { input_tokens: 5, output_tokens: 40, cache_read_input_tokens: 9000, cache_creation_input_tokens: 100 } } }; break;
                case 2: entry = { ...base, type: 'assistant', message: { id: `msg_${i - 1}`, role: 'assistant', model: 'claude-sonnet-4', content: [{ type: 'tool_use', id: `toolu_${i}`, name: 'Edit', input: { file_path: `${cwd}/src/a.ts`, old_string: content.split('\n')[0], new_string: `export const a = ${i};` } }], usage: { input_tokens: 5, output_tokens: 60, cache_read_input_tokens: 9000, cache_creation_input_tokens: 100 } } }; break;
                default: {
                    const before = content;
                    content = content.replace(before.split('\n')[0], `export const a = ${i - 1};`);
                    entry = { ...base, type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${i - 1}`, content: 'The file has been updated.' }] }, toolUseResult: { filePath: `${cwd}/src/a.ts`, oldString: before.split('\n')[0], newString: `export const a = ${i - 1};`, originalFile: before } };
                }
            }
            buffer += `${JSON.stringify(entry)}\n`;
            if (buffer.length > 1 << 20) {
                fs.writeSync(out, buffer);
                buffer = '';
            }
        }
        fs.writeSync(out, buffer);
    } finally {
        fs.closeSync(out);
    }
    return fs.statSync(file).size;
}

export const timelineBench: BenchSuite = {
    description: `Session timeline: seek p99 on a ${events}-event session (unfiltered, filtered, by time, file rebuilds) against OFFSET on the naive table; Claude Code import throughput against raw inserts`,
    async run(log): Promise<BenchFigures> {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-timeline-'));
        const cluster = new DatabaseCluster({ dataDir: path.join(root, 'data') }).open();
        const timeline = new SessionTimeline({ db: cluster.get('sessions'), secrets: () => [], archive: { dir: path.join(root, 'archive'), partBytes: 8 << 20, uploadIntervalMs: 3_600_000 }, flushDelayMs: 5 });
        try {
            timeline.start();
            const session = timeline.currentSessionId!;
            const next = random(7);
            const recorded = recordSession(timeline, next);
            const recordRate = Math.round(events / recorded.seconds);
            log(`recorded ${events} events in ${recorded.seconds.toFixed(1)} s (${recordRate}/s, diffs included)`);
            const total = timeline.session(session).eventCount;
            const lastSeq = timeline.page(session, {}, total - 1, 1).events[0].seq;
            const firstAt = timeline.page(session, {}, 0, 1).events[0].at;
            const lastAt = timeline.page(session, {}, total - 1, 1).events[0].at;

            const measure = (label: string, fn: () => unknown, count = seeks): number[] => {
                for (let i = 0; i < 20; i++) {
                    fn();
                }
                const samples: number[] = [];
                for (let i = 0; i < count; i++) {
                    const t = performance.now();
                    fn();
                    samples.push(performance.now() - t);
                }
                log(`${label}: p50 ${percentile(samples, 50).toFixed(3)} ms, p99 ${percentile(samples, 99).toFixed(3)} ms`);
                return samples;
            };
            const seek = measure(`seek to a random point, ${pageSize} events`, () => {
                const result = timeline.seek(session, { n: Math.floor(next() * total) }, {}, pageSize);
                if (result.events.length === 0) {
                    throw new Error('a seek found nothing');
                }
            });
            const filters: TimelineFilter[] = [{ agents: ['gemini'] }, { agents: ['claude', 'kimi'], kinds: ['tool-call', 'file-edit'] }, { path: 'src/module-3.ts' }, { kinds: ['file-edit'] }];
            const filtered = measure(`filtered seek (lanes, kinds, file), ${pageSize} events`, () => {
                timeline.seek(session, { n: Math.floor(next() * total) }, filters[Math.floor(next() * filters.length)], pageSize);
            });
            // A filter's first use reads its matching positions once (later seeks are binary searches).
            const firstUse: number[] = [];
            for (const [i, file] of files.entries()) {
                const t = performance.now();
                timeline.seek(session, { n: Math.floor(next() * total) }, { path: file, agents: i % 2 ? ['claude', 'codex'] : undefined }, pageSize);
                firstUse.push(performance.now() - t);
            }
            log(`a filter's first seek (reads its positions): p50 ${percentile(firstUse, 50).toFixed(2)} ms, max ${Math.max(...firstUse).toFixed(2)} ms`);
            const byTime = measure('seek to a time', () => timeline.seek(session, { at: firstAt + next() * (lastAt - firstAt) }, {}, pageSize));
            const fileAt = measure('a file rebuilt at a random point', () => {
                const state = timeline.fileAt(session, files[Math.floor(next() * files.length)], Math.floor(next() * lastSeq));
                if (state.status === 'unknown') {
                    throw new Error(state.reason);
                }
            }, Math.min(seeks, 300));

            const naive = naiveBaseline(root, session, next, log);

            // Import: a Claude Code transcript, against inserting as many plain rows with raw better-sqlite3.
            const transcript = path.join(root, 'claude-code.jsonl');
            const bytes = writeTranscript(transcript);
            let t = performance.now();
            const report = await timeline.importFile(transcript);
            const importSeconds = (performance.now() - t) / 1000;
            const importRate = Math.round(report.events / importSeconds);
            log(`imported ${importLines} lines (${(bytes / 1e6).toFixed(1)} MB) as ${report.events} events in ${importSeconds.toFixed(2)} s: ${importRate} events/s, ${report.skippedCount} skipped`);
            const raw = new Database(path.join(root, 'raw.db'));
            raw.pragma('journal_mode = WAL');
            raw.pragma('synchronous = NORMAL');
            raw.exec('CREATE TABLE e (id INTEGER PRIMARY KEY, session_id TEXT, kind TEXT, data_json TEXT, at INTEGER) STRICT');
            const insert = raw.prepare('INSERT INTO e (session_id, kind, data_json, at) VALUES (?, ?, ?, ?)');
            t = performance.now();
            raw.transaction(() => {
                for (let i = 0; i < report.events; i++) {
                    insert.run('s', 'model-turn', JSON.stringify({ text: `Working on step ${i}.` }), i);
                }
            })();
            const rawRate = Math.round(report.events / ((performance.now() - t) / 1000));
            raw.close();
            log(`raw better-sqlite3 inserts of as many rows: ${rawRate} rows/s`);

            const seekP99 = p99(seek);
            return {
                events: total,
                seek_p99_ms: seekP99,
                seek_p50_ms: round(percentile(seek, 50), 3),
                seek_filtered_p99_ms: p99(filtered),
                seek_by_time_p99_ms: p99(byTime),
                filter_first_seek_max_ms: round(Math.max(...firstUse), 3),
                file_at_p99_ms: p99(fileAt),
                baseline_offset_seek_p99_ms: p99(naive.seek),
                baseline_offset_filtered_p99_ms: p99(naive.filtered),
                seek_speedup_vs_offset: round(percentile(naive.seek, 99) / percentile(seek, 99), 1),
                record_events_per_s: recordRate,
                import_events_per_s: importRate,
                raw_insert_rows_per_s: rawRate,
                import_vs_raw_ratio: round(importRate / rawRate, 3),
            };
        } finally {
            await timeline.stop().catch(() => undefined);
            await cluster.close();
            fs.rmSync(root, { recursive: true, force: true });
        }
    },
};
