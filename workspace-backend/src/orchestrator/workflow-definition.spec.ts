import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NotRunnableWorkflow, parseWorkflow, readWorkflows, stepPrompt } from './workflow-definition';
import { workflowStepsLine } from './workflow-types';

const file = '.coditect/workflows/code-review.md';
const workflow = (steps: string, description = 'Codex implements, Claude reviews') => `---\ndescription: ${description}\nsteps:\n${steps}\n---\n# Code review\n`;

describe('workflow definitions (.coditect/workflows/<name>.md)', () => {
    it('reads the steps: in order by default, in parallel where they follow the same step, joined by after', () => {
        const parsed = parseWorkflow(file, workflow([
            '  - { id: plan, agent: claude, prompt: "Plan {{input}}" }',
            '  - { id: server, agent: gemini, prompt: Do the server part }',
            '  - { id: client, agent: codex, prompt: Do the client part, after: [plan] }',
            '  - { id: check, agent: claude, prompt: "Check {{steps.server}} and {{steps.client}}", after: [server, client] }',
        ].join('\n')));
        assert.equal(parsed.name, 'code-review');
        assert.equal(parsed.description, 'Codex implements, Claude reviews');
        assert.deepEqual(parsed.steps.map(s => [s.id, s.agent, s.after]), [
            ['plan', 'claude', []], ['server', 'gemini', ['plan']], ['client', 'codex', ['plan']], ['check', 'claude', ['server', 'client']],
        ]);
        assert.equal(workflowStepsLine(parsed.steps), 'plan (claude) → server (gemini) + client (codex) → check (claude)');
    });

    it('says what is wrong with a step, naming the file and the step', () => {
        const cases: [string, RegExp][] = [
            ['  - { id: Plan, agent: claude, prompt: x }', /step 1: "id" must be lower-case letters/],
            ['  - { id: a, agent: claude, prompt: x }\n  - { id: a, agent: codex, prompt: y }', /step 2: the id "a" is used by an earlier step/],
            ['  - { id: a, prompt: x }', /step 1 \(a\): "agent" must name the agent/],
            ['  - { id: a, agent: claude }', /step 1 \(a\): "prompt" must say what the agent is to do/],
            ['  - { id: a, agent: claude, prompt: x, after: [b] }\n  - { id: b, agent: codex, prompt: y }', /"after" names "b", which is not a step above it/],
            ['  - { id: a, agent: claude, prompt: x, after: b }', /"after" must be a list of step ids/],
        ];
        for (const [steps, expected] of cases) {
            assert.throws(() => parseWorkflow(file, workflow(steps)), (error: Error) => error.message.startsWith(file) && expected.test(error.message), steps);
        }
        assert.throws(() => parseWorkflow(file, '---\nsteps: []\n---\n'), /"description" must say what the workflow does/);
        assert.throws(() => parseWorkflow(file, workflow('  oops: {')), /front matter is not valid YAML/);
        assert.throws(() => parseWorkflow('.coditect/workflows/Code Review.md', workflow('  - { id: a, agent: claude, prompt: x }')), /file name is its name/);
    });

    it('takes a Markdown file without steps for a playbook to read, not an error', () => {
        assert.throws(() => parseWorkflow(file, '# Implement, review, test\n\n1. @Claude ...\n'), NotRunnableWorkflow);
        assert.throws(() => parseWorkflow(file, '---\ndescription: notes\n---\ntext\n'), NotRunnableWorkflow);
        const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'workflows-'));
        try {
            const folder = path.join(ws, '.coditect', 'workflows');
            fs.mkdirSync(folder, { recursive: true });
            fs.writeFileSync(path.join(folder, 'playbook.md'), '# A playbook\n');
            fs.writeFileSync(path.join(folder, 'broken.md'), workflow('  - { id: a, agent: claude }'));
            fs.writeFileSync(path.join(folder, 'testing.md'), workflow('  - { id: tests, agent: gemini, prompt: "Write tests for {{input}}" }', 'Gemini writes tests'));
            const catalog = readWorkflows(ws);
            assert.deepEqual(catalog.workflows.map(w => w.name), ['testing']);
            assert.equal(catalog.problems.length, 1);
            assert.match(catalog.problems[0], /broken\.md: step 1 \(a\): "prompt"/);
        } finally {
            fs.rmSync(ws, { recursive: true, force: true });
        }
    });

    it('fills a step\'s prompt with the input and earlier summaries, and says where the step stands', () => {
        const parsed = parseWorkflow(file, workflow([
            '  - { id: implement, agent: codex, prompt: "Implement {{input}}" }',
            '  - { id: review, agent: claude, prompt: "Review: {{steps.implement}} ({{steps.unknown}})" }',
        ].join('\n')));
        const prompt = stepPrompt(parsed, 7, parsed.steps[1], 'src/cart.ts', new Map([['implement', 'cart totals use quantities']]));
        assert.equal(prompt.split('\n')[0], 'Review: cart totals use quantities ({{steps.unknown}})');
        assert.match(prompt, /step "review" of workflow "code-review", run #7, for: src\/cart\.ts\. The steps it follows reported:\n- implement: cart totals use quantities\)$/);
        assert.equal(stepPrompt(parsed, 7, parsed.steps[0], 'src/cart.ts', new Map()).split('\n')[0], 'Implement src/cart.ts');
    });
});
