import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from '../database/database-cluster';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import type { LockEvent } from '../locks/lock-types';
import type { OrchestratorEvent } from '../orchestrator/orchestrator-types';
import { ScriptedTurnSpec, scriptedProviderFactory } from '../orchestrator/test-support/scripted-provider-factory';
import { rebuildFromArchive, storeArchiveSource } from '../timeline/archive-rebuild';
import { TimelineRepository } from '../timeline/timeline-repository';
import type { JsonObject, TimelineEvent } from '../timeline/timeline-types';
import { WorkspaceCore } from './workspace-core';

const agents = ['claude', 'gemini', 'codex', 'kimi'];
const steps = 4;

const call = (name: string, args: Record<string, unknown>): ScriptedTurnSpec => ({ text: `calling ${name}`, toolCalls: [{ name, arguments: args }], usage: { inputTokens: 10, outputTokens: 5 } });

/** Each agent edits its own line of one shared file, step by step (every edit under the file's lock), writes a file of its own, and finishes. */
function script(agentId: string): ScriptedTurnSpec[] {
    return [
        ...Array.from({ length: steps }, (_, i) => call('edit_file', { path: 'shared.txt', old_text: `${agentId}: ${i}\n`, new_text: `${agentId}: ${i + 1}\n` })),
        call('write_file', { path: `notes/${agentId}.md`, content: `# ${agentId}\n\ndone\n` }),
        call('finish', { summary: `${agentId} counted to ${steps}` }),
    ];
}

/** One key per event, the same whether computed from the live event or from what the timeline stored. */
function liveKey(e: OrchestratorEvent): string | undefined {
    switch (e.type) {
        case 'agent-state': return `state:${e.agentId}:${e.from}>${e.to}`;
        case 'task': return `task:${e.change}:${e.task.id}`;
        case 'tool-call': return `tool:${e.agentId}:${e.taskId}:${e.step}:${e.phase}:${e.call.name}`;
        case 'model-turn': return `turn:${e.agentId}:${e.taskId}:${e.step}`;
        case 'usage': return `usage:${e.agentId}:${e.taskId}`;
        default: return undefined;
    }
}

function lockKey(e: LockEvent): string | undefined {
    if (e.kind === 'renewed') {
        return undefined;
    }
    const owner = 'lock' in e ? e.lock.owner : e.waiter.owner;
    const p = 'lock' in e ? e.lock.path : e.waiter.path;
    return `lock:${e.kind}:${owner.id}:${p}`;
}

function storedKey(e: TimelineEvent): string | undefined {
    const d = e.data as JsonObject & Record<string, never>;
    switch (e.kind) {
        case 'agent-state': return `state:${e.agentId}:${d.from}>${d.to}`;
        case 'task': return `task:${d.change}:${(d.task as JsonObject).id}`;
        case 'tool-call': return `tool:${e.agentId}:${e.taskId}:${d.step}:${d.phase}:${(d.call as JsonObject).name}`;
        case 'model-turn': return `turn:${e.agentId}:${e.taskId}:${d.step}`;
        case 'usage': return `usage:${e.agentId}:${e.taskId}`;
        case 'lock': return `lock:${d.change}:${(d.owner as JsonObject).id}:${d.path}`;
        case 'file-edit': return `edit:${e.agentId}:${e.path}`;
        default: return undefined;
    }
}

describe('the session timeline fed by the workspace core', function () {
    this.timeout(60_000);
    let root: string;
    let core: WorkspaceCore;
    const clusters: DatabaseCluster[] = [];

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'timeline-feed-'));
    });
    afterEach(async () => {
        await core?.stop();
        await Promise.all(clusters.splice(0).map(c => c.close()));
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('records four concurrent agents in the order their events happened; rebuilds every edit of the shared file; the archive alone rebuilds it all', async () => {
        const ws = path.join(root, 'ws');
        fs.mkdirSync(ws);
        fs.writeFileSync(path.join(ws, 'shared.txt'), agents.map(a => `${a}: 0\n`).join(''));
        core = new WorkspaceCore({ workspaceDir: ws, dataDir: path.join(root, 'data') }, {
            orchestrator: { providerFactory: scriptedProviderFactory(definition => script(definition.id)), restartBackoff: { initialMs: 50, maxMs: 200 } },
        });
        await core.start();
        const timeline = core.timeline;
        const session = timeline.currentSessionId!;

        // What happened, as the sources announced it, from here on.
        const log: string[] = [];
        const contents: { path: string; after: string | undefined }[] = [];
        core.orchestrator.onEvent(e => {
            const key = liveKey(e);
            if (key) {
                log.push(key);
            }
        });
        core.locks.onLockEvent(e => {
            const key = lockKey(e);
            if (key) {
                log.push(key);
            }
        });
        core.orchestrator.onFileEdit(e => {
            log.push(`edit:${e.agentId}:${e.path}`);
            contents.push({ path: e.path, after: e.after });
        });
        timeline.record({ kind: 'note', data: { text: 'marker' } });

        const tasks = agents.map(a => core.orchestrator.submitTask(a, { prompt: `count on ${a}` }));
        const done = await Promise.all(tasks.map(t => core.orchestrator.waitForTask(t.id)));
        assert.deepEqual(done.map(t => t.status), agents.map(() => 'done'), JSON.stringify(done.map(t => t.result)));
        await new Promise(resolve => setTimeout(resolve, 50));
        timeline.flush();

        const all = timeline.page(session, {}, 0, 1000).events.map(e => timeline.event(e.seq));
        const marker = all.findIndex(e => e.kind === 'note' && e.data.text === 'marker');
        const recorded = all.slice(marker + 1).map(storedKey).filter((k): k is string => k !== undefined);
        assert.deepEqual(recorded, log, 'the timeline holds exactly what happened, in the order it happened');

        // Sequence numbers and times.
        for (let i = 1; i < all.length; i++) {
            assert.ok(all[i].seq > all[i - 1].seq && all[i].n === i && all[i].at >= all[i - 1].at);
        }
        // Each task's life in order: queued, started, its tool calls, done.
        for (const task of tasks) {
            const own = all.filter(e => e.taskId === task.id);
            const kinds = own.map(e => (e.kind === 'task' ? `task:${e.data.change}` : e.kind));
            assert.equal(kinds[0], 'task:queued');
            assert.ok(kinds.indexOf('task:started') < kinds.indexOf('tool-call'));
            assert.ok(kinds.indexOf('task:done') > kinds.lastIndexOf('tool-call'), `${task.agentId}: ${kinds.join(', ')}`);
        }

        // Every edit of the shared file, rebuilt at its own sequence number, is what the agent wrote.
        const edits = all.filter(e => e.kind === 'file-edit');
        assert.equal(edits.length, agents.length * (steps + 1));
        assert.deepEqual(edits.map(e => e.path), contents.map(c => c.path));
        for (const [i, edit] of edits.entries()) {
            const state = timeline.fileAt(session, edit.path!, edit.seq);
            assert.equal(state.status === 'exists' && state.content, contents[i].after, `${edit.path} at #${edit.seq}`);
        }
        const final = timeline.fileAt(session, 'shared.txt', all[all.length - 1].seq);
        assert.equal(final.status === 'exists' && final.content, fs.readFileSync(path.join(ws, 'shared.txt'), 'utf8'));
        assert.equal(fs.readFileSync(path.join(ws, 'shared.txt'), 'utf8'), agents.map(a => `${a}: ${steps}\n`).join(''));

        // The lanes carry the agents' names; the task can be found.
        // Every agent has a lane (each went idle at the start); the role agents did nothing else.
        assert.deepEqual(timeline.session(session).lanes.map(l => l.name).sort(), ['Claude', 'CodeReviewer', 'Codex', 'DocGenerator', 'FileOrganizer', 'Gemini', 'Kimi', 'PriorSession', 'TestWriter']);
        assert.equal(timeline.taskLocation(tasks[2].id)?.sessionId, session);

        // Stopping ends the run and uploads its archive; the archive alone rebuilds it.
        await core.stop();
        const select = 'SELECT id, n, kind, agent_id, task_id, path, summary, data_json, at FROM timeline_events WHERE session_id = ? ORDER BY n';
        const original = new DatabaseCluster({ dataDir: path.join(root, 'data'), poolSize: 3 }).open();
        clusters.push(original);
        const before = original.get('sessions').all(select, session);
        assert.ok(before.length > all.length, 'the stop (agents stopped) is recorded too');
        const fresh = new DatabaseCluster({ dataDir: path.join(root, 'rebuilt'), poolSize: 3 }).open();
        clusters.push(fresh);
        const repo = new TimelineRepository(fresh.get('sessions'));
        const report = await rebuildFromArchive(repo, storeArchiveSource(new DirectoryObjectStore(path.join(root, 'replica'))));
        assert.deepEqual(report.skipped, []);
        assert.ok(report.sessions.some(s => s.id === session));
        assert.deepEqual(repo.db.all(select, session), before);
        assert.ok(repo.session(session)?.endedAt !== undefined);
    });
});
