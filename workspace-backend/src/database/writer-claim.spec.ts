import * as assert from 'node:assert/strict';
import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from './database-cluster';
import { DatabaseBusyError, WriterClaimedError } from './database-errors';

/** A child process running `source` with the package's compiled index as `index`; it says 'ready' when set. */
function child(source: string, args: string[] = []): { process: ChildProcess; ready: Promise<void> } {
    const script = path.join(os.tmpdir(), `writer-claim-child-${process.pid}-${Math.random().toString(36).slice(2)}.js`);
    fs.writeFileSync(script, `const index = require(${JSON.stringify(path.join(__dirname, 'index.js'))});\nconst Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});\n${source}`);
    const proc = fork(script, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const ready = new Promise<void>((resolve, reject) => {
        proc.once('message', () => resolve());
        proc.once('exit', code => reject(new Error(`the child exited (${code}) before it was ready`)));
    });
    proc.once('exit', () => fs.rmSync(script, { force: true }));
    return { process: proc, ready };
}

function exited(proc: ChildProcess): Promise<void> {
    return proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise(resolve => proc.once('exit', () => resolve()));
}

describe('one writer per database (writer claims)', function () {
    this.timeout(60_000);
    let root: string;
    const children: ChildProcess[] = [];
    beforeEach(() => root = fs.mkdtempSync(path.join(os.tmpdir(), 'writer-claim-')));
    afterEach(async () => {
        for (const c of children.splice(0)) {
            c.kill('SIGKILL');
            await exited(c);
        }
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('a second process is refused at open, naming the holder; reading beside it works; SIGKILL of the holder frees the claim at once', async () => {
        const holder = child(`
const cluster = new index.DatabaseCluster({ dataDir: process.argv[2], writerRole: 'the studio' }).open();
cluster.get('tasks').run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES ('held', '{}', 1)");
process.send('ready');
setInterval(() => undefined, 1000);`, [root]);
        children.push(holder.process);
        await holder.ready;

        const rival = new DatabaseCluster({ dataDir: root, poolSize: 3 }).open();
        try {
            assert.throws(() => rival.get('tasks'), (error: Error) => {
                assert.ok(error instanceof WriterClaimedError, error.message);
                assert.equal(error.holder?.pid, holder.process.pid);
                assert.match(error.message, new RegExp(`written by the studio \\(pid ${holder.process.pid} on host `));
                assert.match(error.message, /Stop that process, or send the change through it/);
                return true;
            });
            const health = await rival.health();
            assert.equal(health.find(h => h.id === 'db:tasks')?.status, 'down');
        } finally {
            await rival.close();
        }

        const reader = new DatabaseCluster({ dataDir: root, access: 'read', poolSize: 3 }).open();
        try {
            assert.equal(reader.get('tasks').get<{ n: number }>('SELECT count(*) AS n FROM tasks')?.n, 1);
            assert.throws(() => reader.get('tasks').run('DELETE FROM tasks'), /opened read-only here, so nothing was written/);
        } finally {
            await reader.close();
        }

        holder.process.kill('SIGKILL');
        await exited(holder.process);
        const successor = new DatabaseCluster({ dataDir: root, poolSize: 3 }).open();
        try {
            const tasks = successor.get('tasks');
            tasks.run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES ('successor', '{}', 2)");
            assert.equal(tasks.get<{ n: number }>('SELECT count(*) AS n FROM tasks')?.n, 2, 'the holder\'s acknowledged write survived its SIGKILL');
        } finally {
            await successor.close();
        }
    });

    it('a writer outside the rule that holds the write lock past the busy timeout: a DatabaseBusyError naming it, counted in health', async () => {
        const cluster = new DatabaseCluster({ dataDir: root, poolSize: 3, busyTimeoutMs: 200 }).open();
        try {
            const tasks = cluster.get('tasks');
            // A sqlite3 shell, say: it knows nothing of claims and takes the write lock.
            const shell = child(`
const db = new Database(process.argv[2]);
db.exec('BEGIN IMMEDIATE');
process.send('ready');
setInterval(() => undefined, 1000);`, [tasks.file]);
            children.push(shell.process);
            await shell.ready;

            assert.throws(() => tasks.run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES ('x', '{}', 1)"), (error: Error) => {
                assert.ok(error instanceof DatabaseBusyError, error.message);
                assert.match(error.message, /tasks database stayed locked by a writer outside the studio .* for more than 200 ms, so this write was not applied/);
                return true;
            });
            const health = (await cluster.health()).find(h => h.id === 'db:tasks')!;
            assert.equal(health.status, 'degraded');
            assert.equal(health.metrics?.busyErrors, 1);
            assert.match(health.detail ?? '', /1 write\(s\) failed with SQLITE_BUSY/);

            shell.process.kill('SIGKILL');
            await exited(shell.process);
            tasks.run("INSERT INTO tasks (agent_id, payload_json, enqueued_at) VALUES ('y', '{}', 2)");
            assert.equal(tasks.get<{ n: number }>('SELECT count(*) AS n FROM tasks')?.n, 1, 'nothing of the refused write was applied');
        } finally {
            await cluster.close();
        }
    });
});
