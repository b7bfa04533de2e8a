import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { readWorkflows, WorkspaceDefaultAgents } from '@coditect/workspace-backend';
import { repoRoot } from '../lib/repo-paths';

/** What a new workspace of the image starts with (docker/workspace-defaults, copied by the image build). */
describe('the image\'s workspace defaults', () => {
    it('carry the code-review, testing and cicd workflows, runnable, each step on one of the default agents, reviews and tests on the role agents', () => {
        const { workflows, problems } = readWorkflows(path.join(repoRoot, 'docker', 'workspace-defaults'));
        assert.deepEqual(problems, []);
        assert.deepEqual(['code-review', 'testing', 'cicd'].filter(name => !workflows.some(w => w.name === name)), []);
        const agents = WorkspaceDefaultAgents.map(d => d.id);
        for (const workflow of workflows) {
            for (const step of workflow.steps) {
                assert.ok(agents.includes(step.agent), `${workflow.file}: step ${step.id} names ${step.agent}, not one of ${agents.join(', ')}`);
            }
        }
        const review = workflows.find(w => w.name === 'code-review')!;
        assert.deepEqual(review.steps.map(s => [s.id, s.agent, s.after]), [
            ['implement', 'codex', []], ['review', 'code-reviewer', ['implement']], ['tests', 'test-writer', ['implement']], ['approve', 'code-reviewer', ['review', 'tests']],
        ]);
        const cicd = workflows.find(w => w.name === 'cicd')!;
        assert.deepEqual(cicd.steps.filter(s => s.after.length === 0).map(s => s.id), ['build', 'lint', 'test'], 'the three checks run at once');
    });
});
