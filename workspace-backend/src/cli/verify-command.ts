import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listGenerations } from '../replication/generation';
import { restoreDatabase } from '../replication/restore';
import { CliCommand, CliError, ExitCode, formatBytes, out } from './cli-command';
import { assertReplicaExists, replicaOptions, replicaOptionsHelp, resolveReplicaTarget } from './replica-target';

export const verifyCommand: CliCommand = {
    name: 'verify',
    summary: 'Check that each database\'s newest chain in the replica restores (dry run + integrity_check).',
    help: `Usage: coditect-workspace verify [options]

For each database, restores the newest generation in the replica (snapshot plus every segment)
into a temporary directory and runs integrity_check; the data directory is not touched.
Exit 0 when every chain restores completely; 1 when one does not (missing or damaged snapshot,
a gap or a damaged segment, integrity_check findings), with the reason; 2 on bad input.

Options:
${replicaOptionsHelp}`,
    options: replicaOptions,
    async run(values) {
        const target = resolveReplicaTarget(values);
        assertReplicaExists(target.store);
        const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'coditect-verify-'));
        const failures: string[] = [];
        try {
            for (const db of target.databases) {
                const reason = await verifyOne(target.store, db.name, path.join(scratch, `${db.name}.db`));
                if (reason) {
                    failures.push(db.name);
                    out(`FAIL ${db.name}: ${reason}`);
                }
            }
        } finally {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
        if (failures.length) {
            throw new CliError(`Verification failed for ${failures.join(', ')} in ${target.store.description}.`, ExitCode.failed);
        }
        return ExitCode.ok;
    },
};

/** Returns why the newest chain of `db` does not restore, or undefined (after printing OK). */
async function verifyOne(store: Parameters<typeof restoreDatabase>[0]['store'], db: string, scratchPath: string): Promise<string | undefined> {
    const generations = await listGenerations(store, db);
    const newest = generations[generations.length - 1];
    if (!newest) {
        return `no replica of ${db} in ${store.description}`;
    }
    if (!newest.snapshot) {
        return `the newest generation ${newest.generation} has no snapshot (${newest.segments.length} segments cannot be applied)`;
    }
    try {
        const result = await restoreDatabase({ store, db, targetPath: scratchPath, generation: newest.generation, dryRun: true });
        if (result.truncatedBecause) {
            return `generation ${newest.generation} restores only to segment ${result.segments} of ${newest.segments.length}: ${result.truncatedBecause}`;
        }
        out(`OK   ${db}: generation ${newest.generation}, snapshot + ${result.segments} segments, ${formatBytes(result.bytes)}, ${result.dbSizePages} pages, integrity_check ok`);
        return undefined;
    } catch (error) {
        return `generation ${newest.generation}: ${(error as Error).message}`;
    }
}
