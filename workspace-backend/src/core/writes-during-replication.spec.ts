import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCore } from './workspace-core';
import { waitForValue } from '../common/test-support/wait-for-value';

describe('writes while replication checkpoints', function () {
    this.timeout(90_000);
    let root: string;
    let core: WorkspaceCore;
    const savedInterval = process.env.STUDIO_SYNC_INTERVAL_MS;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'writes-repl-'));
        process.env.STUDIO_SYNC_INTERVAL_MS = '20';
    });
    afterEach(async () => {
        await core.stop();
        if (savedInterval === undefined) {
            delete process.env.STUDIO_SYNC_INTERVAL_MS;
        } else {
            process.env.STUDIO_SYNC_INTERVAL_MS = savedInterval;
        }
        fs.rmSync(root, { recursive: true, force: true });
    });

    // The replicator once awaited an upload while holding the write lock: writers on the main
    // thread then waited synchronously for busy_timeout, starving the upload, and failed with BUSY.
    it('never make a main-thread writer see SQLITE_BUSY, and are checkpointed once they pause', async () => {
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') });
        await core.start();
        const db = core.databases.get('metrics');
        db.run('CREATE TABLE replication_probe (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
        const mainFile = path.join(root, 'data', 'metrics.db');
        const sizeBefore = fs.statSync(mainFile).size;
        for (let i = 0; i < 6000; i++) {
            db.run('INSERT INTO replication_probe (payload) VALUES (?)', `row ${i} ${'x'.repeat(200)}`);
            if (i % 25 === 0) {
                await new Promise(resolve => setTimeout(resolve, 1));
            }
        }
        assert.equal(db.get<{ n: number }>('SELECT count(*) AS n FROM replication_probe')!.n, 6000);
        // Only a checkpoint writes pages into the main file; only the replicator checkpoints. It never
        // holds the write lock across an upload, so under uninterrupted writing it waits for a pause.
        // A waited-for condition, not a timing claim: a sync runs every 20 ms, but a loaded machine can go seconds without giving it a turn.
        await waitForValue('the replicator\'s checkpoint once the writes paused', () => fs.statSync(mainFile).size > sizeBefore + 100_000, 30_000);
    });
});
