import * as assert from 'node:assert/strict';
import { parseWorkflowRequest } from './workflow-request';

describe('parseWorkflowRequest', () => {
    it('takes the name and the rest as the input, with or without the command and the mention', () => {
        assert.deepEqual(parseWorkflowRequest('/workflow code-review src/x.ts'), { kind: 'run', name: 'code-review', input: 'src/x.ts' });
        assert.deepEqual(parseWorkflowRequest('@Workflow /workflow testing npm test -- --grep cart'), { kind: 'run', name: 'testing', input: 'npm test -- --grep cart' });
        assert.deepEqual(parseWorkflowRequest('@Workflow cicd'), { kind: 'run', name: 'cicd', input: '' });
        assert.deepEqual(parseWorkflowRequest('/workflow code-review fix the cart\nand its totals'), { kind: 'run', name: 'code-review', input: 'fix the cart\nand its totals' });
    });

    it('asks for help when no workflow is named', () => {
        assert.deepEqual(parseWorkflowRequest('/workflow'), { kind: 'help' });
        assert.deepEqual(parseWorkflowRequest('@Workflow  '), { kind: 'help' });
    });
});
