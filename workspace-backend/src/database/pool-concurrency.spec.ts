import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertPoolWorkloadSound, runPoolWorkload } from './test-support/pool-workload';

describe('database pool under concurrency', function () {
    this.timeout(180_000);
    let root: string;
    beforeEach(() => root = fs.mkdtempSync(path.join(os.tmpdir(), 'pool-concurrency-')));
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('ten callers writing and querying one cluster, four threads with clusters of their own: no SQLITE_BUSY, every row there', async () => {
        const report = await runPoolWorkload(root, { callers: 10, iterations: 300, readerThreads: 4 });
        assertPoolWorkloadSound(report, 10);
    });
});
