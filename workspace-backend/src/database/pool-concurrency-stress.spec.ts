import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertPoolWorkloadSound, runPoolWorkload } from './test-support/pool-workload';

/**
 * The pool workload ten times in a row while two processes burn a CPU each: the load under
 * which SQLITE_BUSY used to reach callers (a contended writer waited past the busy timeout).
 * CI runs it once per build (and pool-concurrency.spec once more, unloaded). Each run repeats
 * the same proof, and since each database has one claimed writer SQLITE_BUSY cannot reach a
 * caller by design: the loop guards that design against regressions. It was twenty runs, 65 s
 * of every build; ten keep the repetition under load at half the cost.
 */
const burnerSource = `
const parent = Number(process.argv[1]);
for (let i = 0; ; i++) {
    if ((i & 0xffffff) === 0) {
        try { process.kill(parent, 0); } catch { process.exit(0); }
    }
}`;

describe('database pool under concurrency, on a loaded machine', function () {
    this.timeout(15 * 60_000);
    const burners: ChildProcess[] = [];
    before(() => {
        for (let i = 0; i < 2; i++) {
            // Each burner checks now and then that this process lives, so a crashed run leaves none behind.
            burners.push(spawn(process.execPath, ['-e', burnerSource, String(process.pid)], { stdio: 'ignore' }));
        }
    });
    after(() => {
        for (const burner of burners) {
            burner.kill('SIGKILL');
        }
    });

    it('passes 10 times in a row beside two CPU-burning processes', async () => {
        for (let run = 1; run <= 10; run++) {
            const root = fs.mkdtempSync(path.join(os.tmpdir(), `pool-stress-${run}-`));
            try {
                assertPoolWorkloadSound(await runPoolWorkload(root, { callers: 10, iterations: 60, readerThreads: 4 }), 10);
            } catch (error) {
                throw new Error(`run ${run} of 10: ${(error as Error).message}`, { cause: error });
            } finally {
                fs.rmSync(root, { recursive: true, force: true });
            }
        }
    });
});
