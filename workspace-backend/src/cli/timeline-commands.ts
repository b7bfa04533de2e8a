import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from '../database/database-cluster';
import { directoryArchiveSource, rebuildFromArchive, storeArchiveSource } from '../timeline/archive-rebuild';
import { SessionTimeline } from '../timeline/session-timeline';
import { ImportProgress, ImportReport, TimelineError, TranscriptFormat } from '../timeline/timeline-types';
import { CliCommand, CliError, CliValues, ExitCode, formatBytes, out } from './cli-command';
import { sessionsDatabaseHelp, sessionsDatabaseOptions, withSessionTimeline } from './sessions-database';

const formats: readonly TranscriptFormat[] = ['claude-code', 'archive'];

function formatOf(values: CliValues): TranscriptFormat | undefined {
    const format = values.format as string | undefined;
    if (format !== undefined && !formats.includes(format as TranscriptFormat)) {
        throw new CliError(`Unknown format "${format}"; use ${formats.join(' or ')} (or leave --format out to recognise it).`);
    }
    return format as TranscriptFormat | undefined;
}

/** Progress on stderr at most once a second, so stdout stays the result. */
function progressPrinter(): (p: ImportProgress) => void {
    let last = 0;
    return p => {
        const now = Date.now();
        if (now - last >= 1000) {
            last = now;
            process.stderr.write(`  read ${formatBytes(p.bytesRead)} of ${formatBytes(p.totalBytes)}: ${p.lines} lines, ${p.events} events\n`);
        }
    };
}

/** The report for people: what was imported, every skipped line with its number and reason, what was ignored. */
function formatImportReport(report: ImportReport): string {
    const lines = [
        `Imported ${report.file} (${report.format}): ${report.events} events from ${report.lines} lines in ${report.durationMs} ms.`,
        ...report.sessions.map(s => `  session ${s.id}: "${s.title}", ${s.events} events`),
    ];
    if (report.skippedCount) {
        lines.push(`Skipped ${report.skippedCount} line(s) that could not be imported:`, ...report.skipped.map(s => `  line ${s.line}: ${s.reason}`));
    }
    if (report.ignored.length) {
        lines.push('Read but holding nothing for the timeline:', ...report.ignored.map(i => `  ${i.count} ${i.type} line(s): ${i.lines.join(', ')}${i.count > i.lines.length ? ', …' : ''}`));
    }
    return `${lines.join('\n')}\n`;
}

export const importCommand: CliCommand = {
    name: 'import',
    summary: 'Import an agent transcript (Claude Code JSONL, or a timeline archive) as a session of the timeline.',
    positionals: true,
    help: `Usage: coditect-workspace import <file> [options]

Reads a transcript and adds it to the session timeline as a new session (an archive may hold
several), in sessions.db and in the JSONL archive (uploaded to the replica). Recognised formats:
Claude Code session transcripts (~/.claude/projects/<project>/<session>.jsonl) and this
studio's own archive or export. Lines that cannot be read are skipped and listed with their
line numbers and the reason; the rest is imported.

With --out, nothing is added to the timeline: the transcript is converted to the archive format
(docs/timeline-archive.md) and written to that file.

Refused (exit 3) while a studio runs on this data directory: import in the IDE instead
(CODITECT: Import Agent Transcript…). Exit 1 when nothing could be imported; 2 on bad input.

Options:
  --format <name>     claude-code or archive (default: recognised from the first lines)
  --title <text>      The session's title (default: the transcript's summary or first message)
  --out <file>        Convert to archive JSONL in this file instead of importing
  --json              Print the report as JSON
${sessionsDatabaseHelp}
`,
    options: { ...sessionsDatabaseOptions, format: { type: 'string' }, title: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean', default: false } },
    async run(values, positionals = []) {
        if (positionals.length !== 1) {
            throw new CliError(positionals.length ? `Import one file at a time; got ${positionals.length}.` : 'Name the transcript to import: coditect-workspace import <file>.');
        }
        const file = path.resolve(positionals[0]);
        const options = { format: formatOf(values), title: values.title as string | undefined, onProgress: values.json ? undefined : progressPrinter() };
        const run = async (timeline: SessionTimeline) => {
            try {
                return await timeline.importFile(file, options);
            } catch (error) {
                throw error instanceof TimelineError ? new CliError(error.message, ExitCode.failed) : error;
            }
        };
        let report: ImportReport;
        if (values.out !== undefined) {
            report = await convert(path.resolve(values.out as string), run);
        } else {
            report = await withSessionTimeline(values, 'write', ({ timeline }) => run(timeline));
        }
        process.stdout.write(values.json ? `${JSON.stringify(report, undefined, 2)}\n` : formatImportReport(report));
        return report.events > 0 ? ExitCode.ok : ExitCode.failed;
    },
};

/** Imports into a scratch database and writes every resulting session as archive JSONL to `out`. */
async function convert(out: string, run: (timeline: SessionTimeline) => Promise<ImportReport>): Promise<ImportReport> {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'coditect-convert-'));
    const cluster = new DatabaseCluster({ dataDir: scratch, poolSize: 3 }).open();
    const timeline = new SessionTimeline({ db: cluster.get('sessions'), recordRun: false });
    timeline.start();
    try {
        const report = await run(timeline);
        const stream = fs.createWriteStream(out);
        for (const session of report.sessions) {
            await timeline.exportSession(session.id, line => new Promise<void>((resolve, reject) => stream.write(`${line}\n`, error => (error ? reject(error) : resolve()))));
        }
        await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
        return report;
    } finally {
        await timeline.stop();
        await cluster.close();
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

export const exportCommand: CliCommand = {
    name: 'export',
    summary: 'Write one session of the timeline as archive JSONL (to a file or stdout).',
    help: `Usage: coditect-workspace export --session <id> [options]

Writes the session as archive JSONL (docs/timeline-archive.md): its session line, every event
in order, its end line. Works beside a running studio (it only reads). List the sessions with
\`coditect-workspace sessions\`.

Options:
  --session <id>      The session to export
  --out <file>        Write here instead of stdout
${sessionsDatabaseHelp}
`,
    options: { ...sessionsDatabaseOptions, session: { type: 'string' }, out: { type: 'string' } },
    async run(values) {
        const id = values.session as string | undefined;
        if (!id) {
            throw new CliError('Name the session: --session <id> (coditect-workspace sessions lists them).');
        }
        return withSessionTimeline(values, 'read', async ({ timeline }) => {
            if (!timeline.repo.session(id)) {
                throw new CliError(`There is no session "${id}" in this data directory; coditect-workspace sessions lists them.`, ExitCode.failed);
            }
            const stream = values.out !== undefined ? fs.createWriteStream(path.resolve(values.out as string)) : process.stdout;
            const count = await timeline.exportSession(id, line => new Promise<void>((resolve, reject) => stream.write(`${line}\n`, error => (error ? reject(error) : resolve()))));
            if (stream !== process.stdout) {
                await new Promise<void>(resolve => (stream as fs.WriteStream).end(resolve));
                process.stderr.write(`Exported ${count} events of ${id} to ${values.out}.\n`);
            }
            return ExitCode.ok;
        });
    },
};

export const sessionsCommand: CliCommand = {
    name: 'sessions',
    summary: 'List the sessions of the timeline: studio runs and imported transcripts.',
    help: `Usage: coditect-workspace sessions [options]

Lists the timeline's sessions, newest first: id, kind (run or import), start and end, events and
title. Works beside a running studio (it only reads).

Options:
  --json              Print JSON
  --limit <n>         At most this many (default 100)
${sessionsDatabaseHelp}
`,
    options: { ...sessionsDatabaseOptions, json: { type: 'boolean', default: false }, limit: { type: 'string' } },
    async run(values) {
        const limit = values.limit === undefined ? 100 : Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1) {
            throw new CliError(`--limit must be a whole number of at least 1, not "${values.limit}".`);
        }
        return withSessionTimeline(values, 'read', async ({ timeline }) => {
            const sessions = timeline.sessions(limit);
            if (values.json) {
                out(JSON.stringify(sessions, undefined, 2));
            } else if (sessions.length === 0) {
                out('No sessions yet.');
            } else {
                for (const s of sessions) {
                    const ended = s.endedAt ? new Date(s.endedAt).toISOString() : 'open';
                    out(`${s.id}  ${s.kind.padEnd(6)}  ${new Date(s.startedAt).toISOString()} – ${ended}  ${String(s.eventCount).padStart(7)} events  ${s.title}`);
                }
            }
            return ExitCode.ok;
        });
    },
};

export const timelineRebuildCommand: CliCommand = {
    name: 'timeline-rebuild',
    summary: 'Rebuild the timeline in sessions.db from the JSONL archive alone (the replica\'s, or a folder).',
    help: `Usage: coditect-workspace timeline-rebuild [options]

Reads the timeline archive (timeline/<session>/part-NNNNNN.jsonl in the replica store, or a local
archive folder with --from-dir) and restores every session sessions.db does not have, with its
events and their sequence numbers. Sessions already present are left as they are. Damaged lines
are skipped and listed. Refused (exit 3) while a studio runs on this data directory.

Options:
  --from-dir <dir>    Read the archive from this folder (e.g. <data-dir>/timeline-archive) instead of the replica
${sessionsDatabaseHelp}
`,
    options: { ...sessionsDatabaseOptions, 'from-dir': { type: 'string' } },
    async run(values) {
        return withSessionTimeline(values, 'write', async ({ timeline, store }) => {
            const fromDir = values['from-dir'] as string | undefined;
            if (!fromDir && !store) {
                throw new CliError('Replication is off, so there is no archive in a replica; pass --from-dir <archive folder>.');
            }
            if (fromDir && !fs.existsSync(fromDir)) {
                throw new CliError(`No archive folder at ${fromDir}.`, ExitCode.failed);
            }
            const report = await rebuildFromArchive(timeline.repo, fromDir ? directoryArchiveSource(path.resolve(fromDir)) : storeArchiveSource(store!));
            for (const s of report.sessions) {
                out(`restored ${s.id}: "${s.title}", ${s.events} events`);
            }
            for (const id of report.present) {
                out(`kept ${id} (already in sessions.db)`);
            }
            for (const line of [...report.skipped.map(s => `skipped ${s}`), ...report.notes]) {
                out(line);
            }
            out(`${report.sessions.length} session(s), ${report.events} events restored from ${report.source}.`);
            return report.skipped.length ? ExitCode.failed : ExitCode.ok;
        });
    },
};
