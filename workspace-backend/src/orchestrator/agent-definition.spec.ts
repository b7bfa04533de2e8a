import * as assert from 'node:assert/strict';
import { PriceTable } from '../costs/price-table';
import { DefaultAgentDefinitions, parseAgentDefinition, serializeAgentDefinition } from './agent-definition';

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
        for (const agent of DefaultAgentDefinitions) {
            assert.ok(table.priceAt(agent.model, now), `${agent.model} (${agent.name}) has no shipped price`);
        }
    });
});
