/**
 * Child process for the crash specs: writes rows, asks for durable acknowledgements, and
 * reports each acknowledged row to the parent over IPC. It SIGKILLs itself at a named point
 * (CRASH_POINT, on its CRASH_AT-th occurrence) or is killed by the parent at a random moment.
 * On SIGTERM it stops writing, runs the final sync, reports, and exits.
 */
import Database from 'better-sqlite3';
import { DirectoryObjectStore } from '../../object-store/directory-object-store';
import { PutOptions } from '../../object-store/object-store';
import { ReplicationManager } from '../replication-manager';

const dbPath = process.env.CRASH_DB!;
const point = process.env.CRASH_POINT ?? '';
const at = Number(process.env.CRASH_AT ?? '1');
const durable = process.env.CRASH_DURABLE !== '0';
const syncIntervalMs = Number(process.env.CRASH_SYNC_MS ?? '20');
let seen = 0;

const crash = (name: string) => {
    if (name === point && ++seen >= at) {
        process.kill(process.pid, 'SIGKILL');
    }
};

class CrashingStore extends DirectoryObjectStore {
    override async put(key: string, data: Buffer, options?: PutOptions) {
        if (key.endsWith('.segment')) {
            // Die while the upload is in flight: after the temp file exists, before it is published.
            const result = super.put(key, data, options);
            setImmediate(() => crash('mid-upload'));
            return result;
        }
        return super.put(key, data, options);
    }
}

async function main(): Promise<void> {
    const app = new Database(dbPath);
    app.pragma('journal_mode = WAL');
    app.pragma('wal_autocheckpoint = 0');
    app.pragma('busy_timeout = 5000');
    app.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)');
    const manager = new ReplicationManager({
        store: new CrashingStore(process.env.CRASH_STORE!),
        databases: [{ name: 'main', path: dbPath }],
        syncIntervalMs,
        leaseTtlMs: 2000,
        replicator: { checkpointFrames: 30, crashPoint: crash },
    });
    await manager.start();
    let stopping = false;
    process.on('SIGTERM', () => {
        stopping = true;
    });
    const insert = app.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    for (let id = 1; !stopping; id++) {
        insert.run(id, `row ${id} ${'x'.repeat(id % 5 === 0 ? 3000 : 100)}`);
        if (durable) {
            await manager.waitForDurable('main');
            process.send!({ ack: id });
        } else {
            process.send!({ wrote: id });
            await new Promise(resolve => setTimeout(resolve, 2));
        }
        if (id % 25 === 0) {
            await manager.snapshot();
        }
    }
    await manager.stop();
    app.close();
    process.send!({ stopped: true }, () => process.exit(0));
}

main().catch(error => {
    process.stderr.write(`crash-child: ${(error as Error).stack}\n`);
    process.exit(3);
});
