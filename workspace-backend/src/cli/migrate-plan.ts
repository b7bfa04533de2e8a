import { V1Problem, V1Reader } from '../migration/v1-reader';
import { countsOf, readV1User, V2Counts } from '../migration/v1-user';
import { CliValues, ExitCode, formatBytes, out } from './cli-command';
import { usersOf } from './migrate-v1-store';

interface UserPlanReport {
    readonly user: string;
    readonly displayName: string;
    readonly create: V2Counts;
    readonly problems: readonly V1Problem[];
}

/** `migrate plan`: a dry run over the v1 store. */
export async function planCommand(values: CliValues, reader: V1Reader): Promise<number> {
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

