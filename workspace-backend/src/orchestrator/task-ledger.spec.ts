import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Emitter } from '../common/emitter';
import { DatabaseCluster } from '../database/database-cluster';
import type { DatabaseName } from '../database/database-names';
import type { OrchestratorEvent } from './orchestrator-types';
import { NewTask, TaskLedger } from './task-ledger';
import { TaskRepository } from './task-repository';

const task = (agentId: string, extra: Partial<NewTask> = {}): NewTask => ({ agentId, prompt: `work for ${agentId}`, priority: 0, maxAttempts: 2, ...extra });

describe('TaskLedger (tasks.db)', () => {
    let root: string;
    let cluster: DatabaseCluster;
    let events: Emitter<OrchestratorEvent>;
    let seen: string[];
    let acknowledged: string[];
    let acknowledge: (what: string, ...databases: DatabaseName[]) => Promise<void>;
    let ledger: TaskLedger;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'task-ledger-'));
        cluster = new DatabaseCluster({ dataDir: root }).open();
        events = new Emitter();
        seen = [];
        // What a listener sees when it reads the task back: the change must be committed before it is announced.
        events.event(e => e.type === 'task' && seen.push(`${e.change} #${e.task.id} ${ledger.get(e.task.id)!.status}`));
        acknowledged = [];
        acknowledge = async (what, ...databases) => {
            acknowledged.push(`${what} [${databases.join(', ')}]`);
        };
        ledger = new TaskLedger(new TaskRepository(cluster.get('tasks')), events, (what, ...databases) => acknowledge(what, ...databases));
    });
    afterEach(async () => {
        await cluster.close();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('announces every change after it is committed: queued, retrying, reprioritised, ended', () => {
        const a = ledger.insert(task('claude'), false);
        const b = ledger.insert(task('claude'), true);
        assert.equal(b.status, 'running');
        ledger.requeue(b.id, 'crashed', false);
        ledger.reprioritise(a.id, 5.7);
        assert.equal(ledger.nextQueued('claude')!.id, a.id, 'the higher priority runs first');
        ledger.end(ledger.start(a.id), 'done', { summary: 'ok' });
        assert.deepEqual(seen, [
            `queued #${a.id} queued`, `queued #${b.id} running`, `retrying #${b.id} queued`, `reprioritised #${a.id} queued`, `done #${a.id} done`,
        ]);
        assert.equal(ledger.get(a.id)!.priority, 5);
        assert.throws(() => ledger.reprioritise(a.id, 1), /Task \d+ is done; only a queued task can be re-prioritised/);
        assert.throws(() => ledger.require(999), /There is no task 999/);
    });

    it('answers a waiter with the ended row once that end may be acknowledged, and lets an aborted waiter drop out', async () => {
        const a = ledger.insert(task('claude'), true);
        const b = ledger.insert(task('gemini'), true);
        const waiting = ledger.waitFor(a.id);
        const abandon = new AbortController();
        const abandoned = ledger.waitFor(b.id, abandon.signal);
        abandon.abort(new Error('the delegating task stopped'));
        await assert.rejects(abandoned, /the delegating task stopped/);
        ledger.end(a, 'failed', { error: 'no luck' });
        const ended = await waiting;
        assert.equal(ended.status, 'failed');
        assert.equal(ended.result?.error, 'no luck');
        assert.deepEqual(acknowledged, [`the end of task #${a.id} [tasks, metrics]`]);
        // Already ended: answered at once, still acknowledged first.
        assert.equal((await ledger.waitFor(a.id)).status, 'failed');
        assert.equal(acknowledged.length, 2);
    });

    it('retries a step\'s acknowledgement while it fails, and stops asking once the run is stopped', async () => {
        let refusals = 2;
        acknowledge = async what => {
            acknowledged.push(what);
            if (refusals-- > 0) {
                throw new Error('the replica is down');
            }
        };
        await ledger.acknowledgeStep('step 1 of task #1', [new AbortController().signal], 10);
        assert.deepEqual(acknowledged, ['step 1 of task #1', 'step 1 of task #1', 'step 1 of task #1']);

        acknowledged = [];
        refusals = Infinity;
        const stop = new AbortController();
        const step = ledger.acknowledgeStep('step 2 of task #1', [new AbortController().signal, stop.signal], 10);
        setTimeout(() => stop.abort(), 50);
        await step;
        assert.ok(acknowledged.length >= 2, 'it kept asking until the stop');
    });

    it('recovers what a dead backend left running: retried while attempts remain, else failed', () => {
        const retried = ledger.insert(task('claude', { maxAttempts: 2 }), true);
        const spent = ledger.insert(task('gemini', { maxAttempts: 1 }), true);
        ledger.recoverInterrupted();
        assert.equal(ledger.get(retried.id)!.status, 'queued');
        assert.equal(ledger.get(retried.id)!.lastError, 'the backend stopped unexpectedly while the task ran');
        assert.equal(ledger.get(spent.id)!.status, 'failed');
        assert.equal(ledger.get(spent.id)!.result?.error, 'the backend stopped unexpectedly while the task ran (attempt 1 of 1)');
        assert.deepEqual(seen, [`queued #${retried.id} running`, `queued #${spent.id} running`], 'recovery happens before anyone listens: unannounced');
    });

    it('names the agents up a delegation chain, the task\'s own first', () => {
        const top = ledger.insert(task('claude'), true);
        const middle = ledger.insert(task('gemini', { parentTaskId: top.id, fromAgentId: 'claude' }), true);
        const bottom = ledger.insert(task('codex', { parentTaskId: middle.id, fromAgentId: 'gemini' }), true);
        assert.deepEqual(ledger.delegationChain(bottom), ['codex', 'gemini', 'claude']);
        assert.deepEqual(ledger.delegationChain(top), ['claude']);
    });

    it('reads whole delegation trees in one go: from any task of a tree, its root and everything under it, a parent before its children', () => {
        const top = ledger.insert(task('claude'), true);
        const left = ledger.insert(task('gemini', { parentTaskId: top.id }), true);
        const other = ledger.insert(task('kimi'), true);
        const right = ledger.insert(task('codex', { parentTaskId: top.id }), true);
        const deep = ledger.insert(task('kimi', { parentTaskId: left.id }), true);
        const ids = (tasks: { id: number }[]) => tasks.map(t => t.id);
        assert.deepEqual(ids(ledger.treesOf([deep.id])), [top.id, left.id, right.id, deep.id]);
        assert.deepEqual(ids(ledger.treesOf([right.id, other.id])), [top.id, left.id, other.id, right.id, deep.id]);
        assert.deepEqual(ledger.treesOf([deep.id]).find(t => t.id === deep.id)!.parentTaskId, left.id);
        assert.deepEqual(ledger.treesOf([]), []);
        assert.deepEqual(ledger.treesOf([999]), []);
    });
});
