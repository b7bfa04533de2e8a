import { V1Problem, V1Reader } from '../migration/v1-reader';
import { S3Source, V1SourceError } from '../migration/v1-source';
import { countsOf, readV1User, V2Counts } from '../migration/v1-user';
import { CliCommand, CliError, CliValues, ExitCode, formatBytes, out } from './cli-command';

const v1Options = {
    v1: { type: 'string' },
    'v1-endpoint': { type: 'string' },
    'v1-region': { type: 'string' },
    user: { type: 'string', multiple: true },
    all: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
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
    summary: 'Move v1 users to v2: plan (a dry run) reads the v1 store and reports what a migration would create.',
    positionals: true,
    help: `Usage: coditect-workspace migrate plan [options]

plan   A dry run: reads each user's v1 data (docs/v1-layout.md) and reports what a migration
       creates in v2 (timeline sessions and events, workspace files and bytes, cost rows) and
       every record it cannot convert, with the object, the line, the reason and what to do.
       Writes nothing anywhere. Exit 0 when everything converts, 1 when some record does not
       (the report says which), 2 on bad input.

The runbook (docs/migration-runbook.md) says how a wave of users is planned and moved.

${v1Help}`,
    options: v1Options,
    async run(values, positionals = []) {
        const [action, ...rest] = positionals;
        if (rest.length) {
            throw new CliError(`migrate takes one action; got "${positionals.join(' ')}". See coditect-workspace migrate --help.`);
        }
        if (action !== 'plan') {
            throw new CliError(action === undefined ? 'Name the action: coditect-workspace migrate plan.' : `Unknown migrate action "${action}"; use plan.`);
        }
        return withV1Source(values, source => planCommand(values, new V1Reader(source)));
    },
};

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
