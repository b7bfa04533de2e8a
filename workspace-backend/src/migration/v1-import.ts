import { createHash } from 'node:crypto';
import { costCalendarFromEnv } from '../costs/cost-calendar';
import { CostLedger } from '../costs/cost-ledger';
import { PriceTable } from '../costs/price-table';
import type { DatabaseCluster } from '../database/database-cluster';
import { TokenUsageRepository } from '../orchestrator/agent-repository';
import type { SessionTimeline } from '../timeline/session-timeline';
import { TimelineError } from '../timeline/timeline-types';
import { placeSnapshot, PlacementReport } from './file-placement';
import { sessionImport, timelineEvent, usageRow } from './v1-conversion';
import { V1ImportRepository } from './v1-import-repository';
import { V1Problem, V1Reader } from './v1-reader';
import { countsOf, readV1User, V1User, V2Counts } from './v1-user';

/** The v2 workspace a migration writes: its databases (sessions, metrics, workspace), timeline and folder. */
export interface V2Workspace {
    readonly cluster: DatabaseCluster;
    readonly timeline: SessionTimeline;
    readonly workspaceDir: string;
}

export interface V1ImportOptions {
    /** Leave out what cannot be converted (listed in the report) rather than refuse the user. */
    readonly allowSkips?: boolean;
    readonly now?: () => number;
    readonly progress?: (message: string) => void;
    /** Usage rows per transaction; default 1,000. */
    readonly usageChunk?: number;
}

export interface V1ImportReport {
    readonly user: string;
    readonly source: string;
    /** SHA-256 over every v1 object's key and ETag: the same value means v1 did not change. */
    readonly fingerprint: string;
    /** What the workspace holds of the user once the run is over. */
    readonly counts: V2Counts;
    /** What this run added: a second run over unchanged v1 data adds nothing. */
    readonly added: { readonly events: number; readonly files: number; readonly costRows: number };
    readonly files: PlacementReport;
    /** v1 records left out, with why (only with allowSkips; otherwise the run is refused). */
    readonly skipped: readonly V1Problem[];
    readonly durationMs: number;
}

/** The run was refused or stopped; the message says why and what to do, and the workspace keeps what was written (a rerun resumes). */
export class V1ImportError extends Error {
    constructor(message: string, readonly refused: boolean) {
        super(message);
        this.name = 'V1ImportError';
    }
}

/**
 * Migrates one v1 user into a v2 workspace through the parts' own code: sessions into the
 * timeline (sessions.db and its JSONL archive), the newest snapshot into the workspace folder,
 * usage into token_usage, priced into the cost ledger. v1 is only read.
 *
 * Idempotent and resumable: each step writes only what the workspace does not hold yet (a
 * session's events after those it has, usage rows by their import key, files whose content
 * differs), so running it again, after a kill or after v1 got more data, converges on the same
 * workspace. `v1_imports` says which user the workspace holds and whether the last run finished.
 */
export async function importV1User(reader: V1Reader, userId: string, target: V2Workspace, options: V1ImportOptions = {}): Promise<V1ImportReport> {
    const started = performance.now();
    const now = options.now ?? Date.now;
    const progress = options.progress ?? (() => undefined);
    const imports = new V1ImportRepository(target.cluster.get('workspace'));
    const other = imports.all().find(row => row.userId !== userId);
    if (other) {
        throw new V1ImportError(`This workspace holds v1 user "${other.userId}" (migrated ${new Date(other.startedAt).toISOString()}); one workspace is one user: give user "${userId}" a workspace of their own.`, true);
    }
    const user = await readV1User(reader, userId);
    if (user.problems.length && !options.allowSkips) {
        throw new V1ImportError(`${user.problems.length} record(s) of v1 user "${userId}" cannot be converted (coditect-workspace migrate plan --user ${userId} lists them); `
            + 'fix them in v1, or run again with --allow-skips to leave them out. Nothing was written.', true);
    }
    const fingerprint = fingerprintOf(user);
    const source = reader.source.description;
    imports.begin(userId, source, fingerprint, now());
    const skipped = [...user.problems];

    progress(`${userId}: ${user.sessions.length} session(s)`);
    let events = 0;
    for (const { session, records } of user.sessions) {
        progress(`${userId}: session ${session.id}, ${records.length} event(s)`);
        try {
            const result = await target.timeline.importResumably(sessionImport(userId, session), records.map(r => timelineEvent(user.profile, session, r)));
            events += result.added;
        } catch (error) {
            if (!(error instanceof TimelineError)) {
                throw error;
            }
            skipped.push({ user: userId, object: session.meta.key, problem: error.message, action: 'compare the session in v1 with the timeline; roll the user back and migrate again to take v1 as it is now' });
        }
    }

    progress(`${userId}: ${user.snapshot?.files.length ?? 0} file(s)`);
    const files = await placeSnapshot({
        userId, workspaceDir: target.workspaceDir, files: user.snapshot?.files ?? [], repo: imports,
        read: file => reader.blob(userId, file),
    });
    for (const kept of files.kept) {
        skipped.push({ user: userId, object: user.snapshot?.manifest.key ?? '', problem: `${kept.path}: ${kept.why}`, action: 'compare the two versions; the v2 one was kept' });
    }

    progress(`${userId}: ${user.usage.length} usage record(s)`);
    const metrics = target.cluster.get('metrics');
    const usage = new TokenUsageRepository(metrics, now);
    const rows = user.usage.map(r => usageRow(userId, r));
    let costRows = 0;
    const chunk = options.usageChunk ?? 1000;
    for (let i = 0; i < rows.length; i += chunk) {
        costRows += usage.importRows(rows.slice(i, i + chunk));
    }
    priceBacklog(metrics, now);

    if (skipped.length > user.problems.length && !options.allowSkips) {
        throw new V1ImportError(`${skipped.length - user.problems.length} part(s) of v1 user "${userId}" could not be written: ${skipped.slice(user.problems.length).map(p => p.problem).join('; ')}. `
            + 'The rest is in the workspace; run with --allow-skips to accept this, or roll back.', false);
    }
    const report: V1ImportReport = {
        user: userId, source, fingerprint, counts: countsOf(user), added: { events, files: files.written, costRows }, files, skipped,
        durationMs: Math.round(performance.now() - started),
    };
    imports.finish(userId, now(), JSON.stringify({ counts: report.counts, skipped: report.skipped }));
    return report;
}

/** Prices the usage rows the ledger does not hold yet, with the shipped prices (the studio reprices at its start if its price file or overrides differ). */
function priceBacklog(metrics: ReturnType<DatabaseCluster['get']>, now: () => number): void {
    const ledger = new CostLedger(metrics, new PriceTable(), costCalendarFromEnv(), now);
    ledger.ensureTimeZone();
    while (ledger.sync(5000).length) {
        // Each sync is one transaction of up to 5,000 entries.
    }
}

export function fingerprintOf(user: V1User): string {
    const hash = createHash('sha256');
    for (const object of user.index.objects) {
        hash.update(`${object.key}\0${object.etag}\n`);
    }
    return hash.digest('hex');
}
