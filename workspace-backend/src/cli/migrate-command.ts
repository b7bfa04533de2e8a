import { V1Reader } from '../migration/v1-reader';
import { CliCommand, CliError } from './cli-command';
import { cutoverCommand, cutoverHelp, cutoverOptions, fleetRollbackCommand } from './migrate-cutover';
import { planCommand } from './migrate-plan';
import { v1StoreHelp, v1StoreOptions, withV1Source } from './migrate-v1-store';
import { rollbackCommand, runCommand, verifyCommand } from './migrate-workspace';
import { dataDirectoryHelp, dataDirectoryOptions } from './one-database';

const migrateOptions = {
    ...v1StoreOptions,
    ...dataDirectoryOptions,
    workspace: { type: 'string' },
    'allow-skips': { type: 'boolean', default: false },
    'discard-v2-work': { type: 'boolean', default: false },
    ...cutoverOptions,
} as const;

export const migrateCommand: CliCommand = {
    name: 'migrate',
    summary: 'Move v1 users to v2: plan (a dry run), run, verify, rollback, and cutover through the fleet.',
    positionals: true,
    help: `Usage: coditect-workspace migrate <plan|run|verify|rollback|cutover> [options]

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
${cutoverHelp}
The runbook (docs/migration-runbook.md) says how a wave of users is planned and moved.

${v1StoreHelp}
The v2 workspace (run, verify):
  --workspace <dir>   The workspace folder (default: $STUDIO_WORKSPACE)
  --allow-skips       run: leave out what does not convert (listed in the report)
  --discard-v2-work   rollback: discard even work done in v2 since the migration
${dataDirectoryHelp}
`,
    options: migrateOptions,
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
                return values.fleet !== undefined ? fleetRollbackCommand(values) : rollbackCommand(values);
            case 'cutover':
                return withV1Source(values, source => cutoverCommand(values, new V1Reader(source)));
            default:
                throw new CliError(action === undefined ? 'Name the action: coditect-workspace migrate plan, run, verify, rollback or cutover.' : `Unknown migrate action "${action}"; use plan, run, verify, rollback or cutover.`);
        }
    },
};
