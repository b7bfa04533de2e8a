import { resolveWorkspaceConfig } from '../config/workspace-config';
import { DatabaseNames } from '../database/database-names';
import { FileSync } from '../file-sync/file-sync';
import { importV1User, V1ImportError, V1ImportReport } from '../migration/v1-import';
import { V1ImportRepository } from '../migration/v1-import-repository';
import { V1Problem, V1Reader } from '../migration/v1-reader';
import { discardV2Workspace, v2WorkSince } from '../migration/v1-rollback';
import { S3Source, V1SourceError } from '../migration/v1-source';
import { countsOf, readV1User, V2Counts } from '../migration/v1-user';
import { verifyV1User, V1VerifyReport } from '../migration/v1-verify';
import { SessionTimeline } from '../timeline/session-timeline';
import { resolveTimelineConfig } from '../timeline/timeline-config';
import { CliCommand, CliError, CliValues, ExitCode, formatBytes, out } from './cli-command';
import { dataDirectoryHelp, dataDirectoryOptions, DatabasesAccess, withDatabases } from './one-database';

const v1Options = {
    v1: { type: 'string' },
    'v1-endpoint': { type: 'string' },
    'v1-region': { type: 'string' },
    user: { type: 'string', multiple: true },
    all: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    ...dataDirectoryOptions,
    workspace: { type: 'string' },
    'allow-skips': { type: 'boolean', default: false },
    'discard-v2-work': { type: 'boolean', default: false },
} as const;

const v1Help = `The v1 store (read only; never changed):
  --v1 <s3://bucket[/prefix]>  The v1 bucket (env STUDIO_V1_URL)
  --v1-endpoint <url>          Its S3 API, for R2 https://<account>.r2.cloudflarestorage.com
                               (env STUDIO_V1_ENDPOINT; default AWS S3)
  --v1-region <name>           Default auto (R2); AWS needs the bucket's region (env STUDIO_V1_REGION)
  Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (an R2 API token with read access),
  or the AWS SDK's other sources. They are never printed.

Users:
  --user <id>                  A v1 user (repeat for several)
  --all                        Every user in the store
  --json                       Print the report as JSON
`;

export const migrateCommand: CliCommand = {
    name: 'migrate',
    summary: 'Move a v1 user to v2: plan (a dry run), run (write the v2 workspace), verify (compare both sides).',
    positionals: true,
    help: `Usage: coditect-workspace migrate <plan|run|verify|rollback> [options]

plan     A dry run: reads each user's v1 data (docs/v1-layout.md) and reports what a migration
         creates in v2 (timeline sessions and events, workspace files and bytes, cost rows) and
         every record it cannot convert, with the object, the line, the reason and what to do.
         Writes nothing anywhere. Exit 0 when everything converts, 1 when some record does not.
run      Migrates one user (--user) into the v2 workspace of --data-dir and --workspace: every
         session into the timeline (sessions.db and its JSONL archive), the newest snapshot into
         the workspace folder, usage into the cost ledger; with a replica (--replica or
         STUDIO_REPLICA_URL) the databases, the archive and the files go to it as the studio's
         own replication and file sync would send them. Refused while a studio runs on the
         workspace (exit 3), and for a user with records that do not convert unless --allow-skips.
         Idempotent and resumable: run it again after a stop, a kill, or when v1 got more data.
verify   Compares the user's v1 data with the v2 workspace: counts and content hashes of every
         session, event, file and usage record. Prints 100 % or every difference (exit 1).
rollback Discards the user's v2 workspace (its databases, files and replica), which hands the user
         back to v1: v1 was never changed. Refused while a studio runs on it (exit 3), and when
         work was done in v2 since the migration (tasks, chat, changed files: listed) unless
         --discard-v2-work. Needs no access to v1.

The runbook (docs/migration-runbook.md) says how a wave of users is planned and moved.

${v1Help}
The v2 workspace (run, verify):
  --workspace <dir>   The workspace folder (default: $STUDIO_WORKSPACE)
  --allow-skips       run: leave out what does not convert (listed in the report)
  --discard-v2-work   rollback: discard even work done in v2 since the migration
${dataDirectoryHelp}
`,
    options: v1Options,
    async run(values, positionals = []) {
        const [action, ...rest] = positionals;
        if (rest.length) {
            throw new CliError(`migrate takes one action; got "${positionals.join(' ')}". See coditect-workspace migrate --help.`);
        }
        switch (action) {
            case 'plan':
                return withV1Source(values, source => planCommand(values, new V1Reader(source)));
            case 'run':
                return withV1Source(values, source => runCommand(values, new V1Reader(source)));
            case 'verify':
                return withV1Source(values, source => verifyCommand(values, new V1Reader(source)));
            case 'rollback':
                return rollbackCommand(values);
            default:
                throw new CliError(action === undefined ? 'Name the action: coditect-workspace migrate plan, run, verify or rollback.' : `Unknown migrate action "${action}"; use plan, run, verify or rollback.`);
        }
    },
};

function oneUser(values: CliValues): string {
    const users = (values.user as string[] | undefined) ?? [];
    if (values.all || users.length !== 1) {
        throw new CliError('One v2 workspace holds one user: give exactly one --user <id> (the runbook moves a wave user by user).');
    }
    return users[0];
}

const refusal = (dataDir: string, why: string) => `Refusing to migrate into ${dataDir}: a studio is running on it; ${why}. `
    + 'A user is moved while their v2 workspace is not in use: stop the studio, then run this again.';

async function runCommand(values: CliValues, reader: V1Reader): Promise<number> {
    const userId = oneUser(values);
    const report = await withDatabases(values, DatabaseNames, 'write', refusal, async access => {
        const workspaceDir = workspaceOf(values, access);
        const settings = resolveTimelineConfig(access.dataDir);
        const timeline = new SessionTimeline({
            db: access.cluster.get('sessions'), recordRun: false,
            archive: { dir: settings.archiveDir, store: access.store, partBytes: settings.partBytes, uploadIntervalMs: 3_600_000 },
        });
        timeline.start();
        let result: V1ImportReport;
        try {
            result = await importV1User(reader, userId, { cluster: access.cluster, timeline, workspaceDir }, {
                allowSkips: values['allow-skips'] === true, progress: values.json ? undefined : message => process.stderr.write(`  ${message}\n`),
            });
        } catch (error) {
            throw error instanceof V1ImportError ? new CliError(error.message, error.refused ? ExitCode.usage : ExitCode.failed) : error;
        } finally {
            // Stopping uploads the archive's parts to the replica.
            await timeline.stop();
        }
        if (access.store) {
            await publishFiles(access, workspaceDir);
        }
        return result;
    });
    if (values.json) {
        process.stdout.write(`${JSON.stringify(report, undefined, 2)}\n`);
    } else {
        const c = report.counts;
        out(`${report.user}: ${c.sessions} session(s) with ${c.events} event(s) (${report.added.events} new), `
            + `${c.files} file(s) (${report.files.written} written, ${report.files.unchanged} already there${report.files.removed.length ? `, ${report.files.removed.length} removed` : ''}), `
            + `${c.costRows} cost row(s) (${report.added.costRows} new), in ${report.durationMs} ms.`);
        if (report.skipped.length) {
            out(`Left out (${report.skipped.length}):`);
            report.skipped.forEach(p => out(`  ${p.object}${p.line ? ` line ${p.line}` : ''}: ${p.problem}`));
        }
        out(`Check it: coditect-workspace migrate verify --user ${report.user}`);
    }
    return ExitCode.ok;
}

/** The workspace's files to the replica's files/ tree, as the studio's file sync sends them (one full pass, no watching). */
async function publishFiles(access: DatabasesAccess, workspaceDir: string): Promise<void> {
    const sync = new FileSync({ store: access.store!, workspaceDir, dataDir: access.dataDir, watch: false });
    await sync.start();
    await sync.stop();
    const pending = sync.pending();
    if (pending.length) {
        throw new CliError(`${pending.length} workspace file(s) did not reach ${access.store!.description} (${pending.slice(0, 3).map(p => `${p.path}${p.error ? `: ${p.error}` : ''}`).join('; ')}); `
            + 'run migrate run again: it sends what is missing.', ExitCode.failed);
    }
}

async function verifyCommand(values: CliValues, reader: V1Reader): Promise<number> {
    const userId = oneUser(values);
    const report: V1VerifyReport = await withDatabases(values, ['sessions', 'metrics', 'workspace'], 'read', refusal,
        access => verifyV1User(reader, userId, { cluster: access.cluster, workspaceDir: workspaceOf(values, access) }));
    if (values.json) {
        process.stdout.write(`${JSON.stringify(report, undefined, 2)}\n`);
    } else {
        out(`${report.user}: ${report.integrityPct} % (${report.matched} of ${report.checked} v1 items match in v2).`);
        report.differences.forEach(d => out(`  ${d.what} ${d.where}: ${d.difference}`));
    }
    return report.differences.length ? ExitCode.failed : ExitCode.ok;
}

async function rollbackCommand(values: CliValues): Promise<number> {
    const userId = oneUser(values);
    const started = performance.now();
    const rollbackRefusal = (dataDir: string, why: string) => `Refusing to roll back ${dataDir}: a studio is running on it; ${why}. Stop the workspace first (the fleet's stop, or the studio), then run this again.`;
    const target = await withDatabases(values, DatabaseNames, 'write', rollbackRefusal, async access => {
        const workspaceDir = workspaceOf(values, access);
        const holds = new V1ImportRepository(access.cluster.get('workspace')).all();
        if (!holds.some(row => row.userId === userId)) {
            throw new CliError(holds.length
                ? `This workspace holds v1 user "${holds[0].userId}", not "${userId}"; check --data-dir and --user.`
                : `This workspace holds no migration of v1 user "${userId}" (never migrated, or already rolled back): nothing to roll back.`, ExitCode.failed);
        }
        const work = await v2WorkSince(access.cluster, workspaceDir, userId);
        if (work.length && !values['discard-v2-work']) {
            throw new CliError(`Work was done in the v2 workspace since the migration: ${work.join('; ')}. It would be lost with the workspace; `
                + 'copy what is needed (or move the user forward instead), then run again with --discard-v2-work.', ExitCode.refused);
        }
        return { dataDir: access.dataDir, workspaceDir, store: access.store, work };
    });
    const discarded = await discardV2Workspace(target);
    const report = { user: userId, ...discarded, discardedWork: target.work, durationMs: Math.round(performance.now() - started) };
    if (values.json) {
        process.stdout.write(`${JSON.stringify(report, undefined, 2)}\n`);
    } else {
        out(`${userId}: the v2 workspace is discarded (${discarded.replicaObjects} replica object(s), ${discarded.workspaceEntries} workspace and ${discarded.dataEntries} data entries) in ${report.durationMs} ms. `
            + 'v1 was never changed: the user is on v1 again.');
    }
    return ExitCode.ok;
}

function workspaceOf(values: CliValues, access: DatabasesAccess): string {
    return resolveWorkspaceConfig({ workspaceDir: values.workspace as string | undefined, dataDir: access.dataDir, workspaceOption: '--workspace' }).workspaceDir;
}

interface UserPlanReport {
    readonly user: string;
    readonly displayName: string;
    readonly create: V2Counts;
    readonly problems: readonly V1Problem[];
}

async function planCommand(values: CliValues, reader: V1Reader): Promise<number> {
    const reports: UserPlanReport[] = [];
    for (const userId of await usersOf(values, reader)) {
        const user = await readV1User(reader, userId);
        reports.push({ user: userId, displayName: user.profile.displayName, create: countsOf(user), problems: user.problems });
        if (!values.json) {
            printPlan(reports[reports.length - 1]);
        }
    }
    const problems = reports.reduce((n, r) => n + r.problems.length, 0);
    const total = sumCounts(reports.map(r => r.create));
    if (values.json) {
        process.stdout.write(`${JSON.stringify({ source: reader.source.description, users: reports, total, problems }, undefined, 2)}\n`);
    } else {
        out(`\n${reports.length} user(s) from ${reader.source.description}: ${describeCounts(total)}.`);
        out(problems ? `${problems} record(s) cannot be converted (listed above); fix them in v1 or run with --allow-skips to leave them out.` : 'Every record converts.');
    }
    return problems ? ExitCode.failed : ExitCode.ok;
}

function printPlan(report: UserPlanReport): void {
    out(`${report.user} (${report.displayName}): ${describeCounts(report.create)}`);
    if (report.problems.length) {
        out(`  cannot convert ${report.problems.length}:`);
        for (const p of report.problems) {
            out(`    ${p.object}${p.line ? ` line ${p.line}` : ''}: ${p.problem}; ${p.action}`);
        }
    }
}

function describeCounts(c: V2Counts): string {
    return `${c.sessions} session(s) with ${c.events} event(s), ${c.files} file(s) (${formatBytes(c.bytes)}), ${c.costRows} cost row(s) `
        + `(${c.tokens} tokens; v1 charged $${c.v1CostUsd.toFixed(2)})`;
}

function sumCounts(counts: readonly V2Counts[]): V2Counts {
    const zero: V2Counts = { sessions: 0, events: 0, files: 0, bytes: 0, costRows: 0, tokens: 0, v1CostUsd: 0 };
    return counts.reduce((a, c) => ({
        sessions: a.sessions + c.sessions, events: a.events + c.events, files: a.files + c.files, bytes: a.bytes + c.bytes,
        costRows: a.costRows + c.costRows, tokens: a.tokens + c.tokens, v1CostUsd: Math.round((a.v1CostUsd + c.v1CostUsd) * 1e6) / 1e6,
    }), zero);
}

async function usersOf(values: CliValues, reader: V1Reader): Promise<string[]> {
    const named = (values.user as string[] | undefined) ?? [];
    if (values.all && named.length) {
        throw new CliError('Give either --all or --user, not both.');
    }
    if (values.all) {
        const users: string[] = [];
        for await (const user of reader.users()) {
            users.push(user);
        }
        if (!users.length) {
            throw new CliError(`No users in ${reader.source.description}: is it the v1 bucket (and prefix)? v1 kept every user under users/<id>/.`, ExitCode.failed);
        }
        return users;
    }
    if (!named.length) {
        throw new CliError('Name the users: --user <id> (repeat for several), or --all.');
    }
    return [...new Set(named)];
}

/** Opens the v1 store from the options or the environment; a store that refuses becomes an operator's error. */
async function withV1Source<T>(values: CliValues, work: (source: S3Source) => Promise<T>): Promise<T> {
    const url = (values.v1 as string | undefined) ?? process.env.STUDIO_V1_URL;
    if (!url) {
        throw new CliError('Give the v1 store: --v1 s3://<bucket> (or STUDIO_V1_URL), with --v1-endpoint for R2.');
    }
    let source: S3Source;
    try {
        source = new S3Source({
            url, endpoint: (values['v1-endpoint'] as string | undefined) ?? process.env.STUDIO_V1_ENDPOINT,
            region: (values['v1-region'] as string | undefined) ?? process.env.STUDIO_V1_REGION,
        });
    } catch (error) {
        throw error instanceof V1SourceError ? new CliError(error.message) : error;
    }
    try {
        return await work(source);
    } catch (error) {
        throw error instanceof V1SourceError ? new CliError(error.message, ExitCode.failed) : error;
    } finally {
        source.close();
    }
}
