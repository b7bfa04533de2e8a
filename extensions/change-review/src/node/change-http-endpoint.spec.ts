import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentPrincipal, personPrincipal } from '@coditect/workspace-backend';
import { JsonApiTestServer, startJsonApiTestServer } from '@coditect/studio-platform/test-support';
import { CHANGES_HTTP_PATH } from '../common/change-review-protocol';
import { ChangeHttpEndpoint } from './change-http-endpoint';

const principals = {
    dev: personPrincipal({ id: 'user:dev', displayName: 'Dev', role: 'developer' }),
    bot: agentPrincipal('bot', 'Bot'),
};

describe('ChangeHttpEndpoint (/coditect/api/changes)', () => {
    let api: JsonApiTestServer;
    const file = (name: string) => path.join(api.workspaceDir, name);
    /** An agent's write, on disk and in its task's change set, as the core's capture records it. */
    const agentWrites = (taskId: number, agentId: string, name: string, after: string) => {
        const before = fs.existsSync(file(name)) ? fs.readFileSync(file(name), 'utf8') : undefined;
        fs.writeFileSync(file(name), after);
        api.core.changes.record({ taskId, agentId, title: `task ${taskId}`, path: name, before, after, origin: 'tool', at: Date.now() });
    };

    beforeEach(async () => {
        api = await startJsonApiTestServer({
            endpoint: ChangeHttpEndpoint, basePath: CHANGES_HTTP_PATH, principals, prefix: 'changes-http-',
            prepareWorkspace: ws => fs.writeFileSync(path.join(ws, 'a.ts'), 'one\ntwo\nthree\nfour\nfive\nsix\n'),
        });
        agentWrites(1, 'claude', 'a.ts', 'one\nTWO\nthree\nfour\nfive\nSIX\n');
        agentWrites(2, 'gemini', 'b.ts', 'new\n');
    });
    afterEach(() => api.close());

    it('lists the change sets newest first, by agent and page, and shows one with its diffs', async () => {
        const all = await api.call('dev', 'GET');
        assert.equal(all.status, 200);
        assert.equal(all.cacheControl, 'no-store');
        assert.deepEqual(all.body.changeSets.map((s: { taskId: number; agentId: string }) => [s.taskId, s.agentId]), [[2, 'gemini'], [1, 'claude']]);
        assert.deepEqual(all.body.changeSets[1].files.map((f: { path: string; status: string; added: number; removed: number }) => [f.path, f.status, f.added, f.removed]),
            [['a.ts', 'modified', 2, 2]]);
        assert.deepEqual((await api.call('dev', 'GET', '?agent=claude')).body.changeSets.map((s: { taskId: number }) => s.taskId), [1]);
        assert.deepEqual((await api.call('dev', 'GET', '?before=2&limit=5')).body.changeSets.map((s: { taskId: number }) => s.taskId), [1]);
        assert.deepEqual((await api.call('bot', 'GET', '?limit=1')).body.changeSets.map((s: { taskId: number }) => s.taskId), [2], 'an agent token may read');

        const one = await api.call('dev', 'GET', '/1');
        assert.equal(one.status, 200);
        assert.match(one.body.files[0].diff, /-two\n\+TWO\n/);
        assert.equal(one.body.files[0].hunkList.length, 2);
    });

    it('takes back a hunk as the caller, and answers 409 with where a file conflicts, writing nothing', async () => {
        const rejected = await api.call('dev', 'POST', '/1/review', { decision: 'reject', path: 'a.ts', hunk: 1 });
        assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
        assert.deepEqual(rejected.body.files, [{ path: 'a.ts', outcome: 'applied', review: 'pending', wrote: true }]);
        assert.equal(fs.readFileSync(file('a.ts'), 'utf8'), 'one\nTWO\nthree\nfour\nfive\nsix\n');

        fs.writeFileSync(file('a.ts'), 'one\nMINE\nthree\nfour\nfive\nsix\n');
        const conflict = await api.call('dev', 'POST', '/1/review', { decision: 'reject', path: 'a.ts', hunk: 0 });
        assert.equal(conflict.status, 409);
        assert.equal(conflict.body.files[0].outcome, 'conflict');
        assert.deepEqual(conflict.body.files[0].conflicts, [{ line: 2, current: 'MINE\n', reviewed: 'TWO\n', wanted: 'two\n' }]);
        assert.equal(fs.readFileSync(file('a.ts'), 'utf8'), 'one\nMINE\nthree\nfour\nfive\nsix\n');
    });

    it('sends a comment back as a follow-up task for the same agent (201), and refuses an empty one (400)', async () => {
        const sent = await api.call('dev', 'POST', '/1/comments', { text: 'Keep "six" lower-case.', path: 'a.ts', hunk: 1 });
        assert.equal(sent.status, 201, JSON.stringify(sent.body));
        assert.deepEqual([sent.body.taskId, sent.body.path, sent.body.hunk, sent.body.by.id], [1, 'a.ts', 1, 'user:dev']);
        const followUp = api.core.orchestrator.getTask(sent.body.followUpTaskId)!;
        assert.deepEqual([followUp.agentId, followUp.submittedBy], ['claude', 'user:dev']);
        assert.match(followUp.prompt, /Keep "six" lower-case\./);
        assert.deepEqual((await api.call('dev', 'GET', '/1')).body.commentList.map((c: { id: number }) => c.id), [sent.body.id]);
        const empty = await api.call('dev', 'POST', '/1/comments', { text: '' });
        assert.deepEqual([empty.status, empty.body.error], [400, 'Write the comment: its text is empty.']);
    });

    it('says what was wrong: unknown ids (404), bad input (400), an agent reviewing (403)', async () => {
        const unknown = await api.call('dev', 'GET', '/99');
        assert.equal(unknown.status, 404);
        assert.match(unknown.body.error, /Task #99 has no change set/);
        const notAFile = await api.call('dev', 'POST', '/1/review', { decision: 'reject', path: 'zzz.ts' });
        assert.deepEqual([notAFile.status, notAFile.body.error], [404, 'Task #1 did not change zzz.ts. Its change set lists the files it changed: GET /coditect/api/changes/1.']);
        assert.equal((await api.call('dev', 'GET', '/abc')).status, 400);
        const badLimit = await api.call('dev', 'GET', '?limit=-3');
        assert.deepEqual([badLimit.status, badLimit.body.error], [400, '"limit" must be a positive whole number; got "-3".']);
        const badDecision = await api.call('dev', 'POST', '/1/review', { decision: 'undo' });
        assert.deepEqual([badDecision.status, badDecision.body.error], [400, 'Unknown decision "undo": use accept or reject.']);
        const badJson = await api.call('dev', 'POST', '/1/review', '{not json');
        assert.equal(badJson.status, 400);
        assert.match(badJson.body.error, /\{"decision":"reject","path":"src\/a\.ts","hunk":0\}/);
        const agent = await api.call('bot', 'POST', '/1/review', { decision: 'reject' });
        assert.equal(agent.status, 403);
        assert.equal(fs.readFileSync(file('a.ts'), 'utf8'), 'one\nTWO\nthree\nfour\nfive\nSIX\n', 'nothing was written');
    });
});
