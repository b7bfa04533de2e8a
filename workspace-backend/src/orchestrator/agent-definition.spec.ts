import * as assert from 'node:assert/strict';
import { PriceTable } from '../costs/price-table';
import { basePrompt, DefaultAgentDefinitions, parseAgentDefinition, serializeAgentDefinition } from './agent-definition';
import { DefaultRoleAgentDefinitions, WorkspaceDefaultAgents } from './role-agents';

const file = '.coditect/agents/codex.json';
const definition = (fields: Record<string, unknown>) => JSON.stringify({ name: 'Codex', vendor: 'openai', model: 'gpt-5-codex', ...fields });

describe('agent definition files: api', () => {
    it('leaves api out unless the file sets it, and keeps it through a save', () => {
        assert.equal('api' in parseAgentDefinition(file, 'codex', definition({})), false);
        const gateway = parseAgentDefinition(file, 'codex', definition({ api: 'chat-completions', baseUrl: 'http://127.0.0.1:4000/v1' }));
        assert.equal(gateway.api, 'chat-completions');
        assert.equal(JSON.parse(serializeAgentDefinition(gateway)).api, 'chat-completions');
    });

    it('refuses an unknown protocol, and one the vendor does not speak, naming the file', () => {
        assert.throws(() => parseAgentDefinition(file, 'codex', definition({ api: 'completions' })),
            /codex\.json: "api": api must be "responses" or "chat-completions", not "completions"/);
        assert.throws(() => parseAgentDefinition(file, 'kimi', definition({ vendor: 'moonshot', api: 'responses' })), /Moonshot speaks only Chat Completions/);
        assert.throws(() => parseAgentDefinition(file, 'claude', definition({ vendor: 'anthropic', api: 'responses' })), /api applies to the openai and moonshot vendors only/);
    });
});

describe('agent definition files: apply', () => {
    it('applies edits immediately unless the file asks for review first, and keeps the choice through a save', () => {
        assert.equal(parseAgentDefinition(file, 'codex', definition({})).apply, 'immediately');
        const reviewed = parseAgentDefinition(file, 'codex', definition({ apply: 'after-review' }));
        assert.equal(reviewed.apply, 'after-review');
        assert.equal(parseAgentDefinition(file, 'codex', serializeAgentDefinition(reviewed)).apply, 'after-review');
        assert.ok(DefaultAgentDefinitions.every(d => d.apply === 'immediately'));
    });

    it('refuses any other value, naming the file and the two it allows', () => {
        for (const apply of ['later', true, 'after_review']) {
            assert.throws(() => parseAgentDefinition(file, 'codex', definition({ apply })),
                (e: Error) => e.name === 'AgentDefinitionError' && e.message.startsWith(`${file}: "apply" must be "immediately"`) && e.message.includes('or "after-review"')
                    && e.message.endsWith(`not ${JSON.stringify(apply)}.`));
        }
    });
});

describe('default agents and the shipped prices', () => {
    it('prices every default agent\'s model from the shipped list', () => {
        const table = new PriceTable();
        const now = Date.parse('2026-11-21T12:00:00Z');
        for (const agent of WorkspaceDefaultAgents) {
            assert.ok(table.priceAt(agent.model, now), `${agent.model} (${agent.name}) has no shipped price`);
        }
    });
});

describe('the role agents', () => {
    it('come as files that read back as they were written: one-word names the chat can address, their own tools, processes on demand', () => {
        assert.deepEqual(DefaultRoleAgentDefinitions.map(d => d.id), ['code-reviewer', 'test-writer', 'doc-generator', 'file-organizer', 'prior-session-agent']);
        for (const role of DefaultRoleAgentDefinitions) {
            assert.equal(serializeAgentDefinition(parseAgentDefinition(file, role.id, serializeAgentDefinition(role))), serializeAgentDefinition(role));
            assert.match(role.name, /^[\w.-]+$/, `${role.id}: @${role.name} must be one word`);
            assert.equal(role.process, 'on-demand');
            assert.ok(role.description && role.systemPrompt.length > basePrompt(role.name).length, `${role.id} has its own prompt`);
            assert.ok(role.tools.includes('finish') && !role.tools.includes('delegate'), `${role.id}: ${role.tools.join(', ')}`);
        }
        const reviewer = DefaultRoleAgentDefinitions.find(d => d.id === 'code-reviewer')!;
        assert.ok(!reviewer.tools.includes('edit_file') && !reviewer.tools.includes('write_file'), 'a reviewer never edits');
        assert.ok(DefaultRoleAgentDefinitions.find(d => d.id === 'prior-session-agent')!.tools.includes('read_timeline'));
        assert.ok(DefaultAgentDefinitions.every(d => d.process === 'always'));
        assert.equal(new Set(WorkspaceDefaultAgents.map(d => d.name.toLowerCase())).size, WorkspaceDefaultAgents.length, 'names are unique');
    });

    it('refuses a process mode it does not know, naming the two it has', () => {
        assert.equal(parseAgentDefinition(file, 'codex', definition({})).process, 'always');
        assert.throws(() => parseAgentDefinition(file, 'codex', definition({ process: 'lazy' })),
            (e: Error) => e.message.startsWith(`${file}: "process" must be "always"`) && e.message.includes('"on-demand"') && e.message.endsWith('not "lazy".'));
    });
});
