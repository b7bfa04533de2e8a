import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from '../database-cluster';
import { changeWhileStopped } from './change-while-stopped';

/**
 * The six databases in a fresh temporary data folder for each test of a suite: opened (and opened
 * again) as a studio starts and restarts, changed in between as a `sqlite3` shell would, with what
 * the cluster logs kept in `logged`. After each test the cluster last opened is closed and the
 * folder removed.
 */
export class TempCluster {

    /** The test's folder; the data folder is `data/` inside it. */
    root = '';
    logged: string[] = [];
    protected opened: DatabaseCluster | undefined;

    /** Registers the mocha hooks that make and remove the folder around each test; call it in a `describe`. */
    static perTest(prefix: string): TempCluster {
        const temp = new TempCluster();
        beforeEach(() => {
            temp.root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
            temp.logged = [];
        });
        afterEach(async () => {
            await temp.opened?.close();
            temp.opened = undefined;
            fs.rmSync(temp.root, { recursive: true, force: true });
        });
        return temp;
    }

    get dataDir(): string {
        return path.join(this.root, 'data');
    }

    /** The cluster last opened. */
    get cluster(): DatabaseCluster {
        if (!this.opened) {
            throw new Error('no cluster was opened in this test');
        }
        return this.opened;
    }

    /** Opens the cluster, as a studio's start does (migrating and repairing the files). */
    open(): DatabaseCluster {
        this.opened = new DatabaseCluster({ dataDir: this.dataDir, log: line => this.logged.push(line) }).open();
        return this.opened;
    }

    /** Runs `sql` on `<name>.db` with a raw connection; the cluster must be closed, as the studio is stopped. */
    tamper(name: string, sql: string): void {
        changeWhileStopped(this.dataDir, name, sql);
    }
}
