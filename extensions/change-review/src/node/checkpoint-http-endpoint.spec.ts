import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentPrincipal, personPrincipal } from '@coditect/workspace-backend';
import { waitForValue } from '@coditect/workspace-backend/test-support';
import { JsonApiTestServer, startJsonApiTestServer } from '@coditect/studio-platform/test-support';
import { CHECKPOINTS_HTTP_PATH } from '../common/change-review-protocol';
import { CheckpointHttpEndpoint } from './checkpoint-http-endpoint';

const principals = {
    dev: personPrincipal({ id: 'user:dev', displayName: 'Dev', role: 'developer' }),
    bot: agentPrincipal('bot', 'Bot'),
};

describe('CheckpointHttpEndpoint (/coditect/api/checkpoints)', function () {
    this.timeout(60_000);
    let api: JsonApiTestServer;
    const file = (name: string) => path.join(api.workspaceDir, name);

    beforeEach(async () => {
        api = await startJsonApiTestServer({
            endpoint: CheckpointHttpEndpoint, basePath: CHECKPOINTS_HTTP_PATH, principals, prefix: 'checkpoints-http-',
            prepareWorkspace: ws => fs.writeFileSync(path.join(ws, 'a.ts'), 'before\n'),
        });
        api.core.checkpoints.markTask({ id: 3, title: 'Rewrite a.ts', agentId: 'codex', startedAt: Date.now() + 1 });
        await new Promise(resolve => setTimeout(resolve, 5));
        const was = api.core.checkpoints.journal.stateOf('a.ts');
        fs.writeFileSync(file('a.ts'), 'after\n');
        await waitForValue('the journal noting the change', () => api.core.checkpoints.journal.stateOf('a.ts') !== was);
    });
    afterEach(() => api.close());

    it('lists the checkpoints and restores one as the caller, naming the checkpoint that undoes it', async () => {
        const listed = await api.call('dev', 'GET');
        assert.equal(listed.status, 200);
        assert.deepEqual(listed.body.checkpoints.map((c: { taskId: number; kind: string; available: boolean }) => [c.taskId, c.kind, c.available]), [[3, 'task', true]]);

        const restored = await api.call('dev', 'POST', `/${listed.body.checkpoints[0].id}/restore`, {});
        assert.equal(restored.status, 200, JSON.stringify(restored.body));
        assert.deepEqual(restored.body.files, [{ path: 'a.ts', outcome: 'restored' }]);
        assert.equal(fs.readFileSync(file('a.ts'), 'utf8'), 'before\n');
        const undo = (await api.call('dev', 'GET', '?limit=1')).body.checkpoints[0];
        assert.deepEqual([undo.id, undo.kind, undo.by], [restored.body.undoCheckpointId, 'restore', 'user:dev']);
    });

    it('says what was wrong: an unknown checkpoint (404), a bad id or path (400), an agent restoring (403)', async () => {
        assert.equal((await api.call('dev', 'POST', '/99/restore', {})).status, 404);
        const bad = await api.call('dev', 'POST', '/x/restore', {});
        assert.deepEqual([bad.status, bad.body.error], [400, '"x" is not a checkpoint id; use a checkpoint\'s number, as GET /coditect/api/checkpoints lists them.']);
        assert.equal((await api.call('dev', 'POST', '/1/restore', { path: 7 })).status, 400);
        assert.equal((await api.call('dev', 'GET', '?limit=0')).status, 400);
        const agent = await api.call('bot', 'POST', '/1/restore', {});
        assert.equal(agent.status, 403);
        assert.equal(fs.readFileSync(file('a.ts'), 'utf8'), 'after\n');
    });
});
