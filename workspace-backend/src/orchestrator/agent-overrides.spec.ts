import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DefinitionChange, DefinitionStore } from './definition-store';
import { AgentOverridesPreference, environmentOverrides, validateAgentOverride } from './agent-overrides';

describe('per-agent configuration over the definition files', () => {
    let workspace: string;
    let store: DefinitionStore;
    const settings = (value: unknown) => {
        fs.mkdirSync(path.join(workspace, '.theia'), { recursive: true });
        fs.writeFileSync(path.join(workspace, '.theia', 'settings.json'), typeof value === 'string' ? value : JSON.stringify(value));
    };
    beforeEach(() => workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'overrides-')));
    afterEach(() => {
        store?.dispose();
        delete process.env.STUDIO_AGENT_CLAUDE_MODEL;
        fs.rmSync(workspace, { recursive: true, force: true });
    });

    it('lays the workspace preference over the file and the environment over both', () => {
        settings({ '// comment': 1, [AgentOverridesPreference]: { claude: { model: 'claude-opus-4-1', maxSteps: 12, temperature: 0.2 }, gemini: { baseUrl: 'http://127.0.0.1:9/v1' } } });
        process.env.STUDIO_AGENT_CLAUDE_MODEL = 'claude-haiku-4-5';
        store = new DefinitionStore(workspace);
        store.start();
        const claude = store.get('claude')!;
        assert.equal(claude.model, 'claude-haiku-4-5');
        assert.equal(claude.limits.maxSteps, 12);
        assert.equal(claude.limits.temperature, 0.2);
        assert.equal(claude.limits.maxTokens, 8192, 'what no layer sets comes from the file');
        assert.equal(store.get('gemini')!.baseUrl, 'http://127.0.0.1:9/v1');
        assert.equal(store.get('codex')!.model, 'gpt-5-codex');
    });

    it('reloads an agent when the preference changes, and keeps the last good overrides when it is malformed', () => {
        store = new DefinitionStore(workspace);
        store.start();
        const changes: DefinitionChange[] = [];
        store.onChange(change => changes.push(change));
        settings({ [AgentOverridesPreference]: { kimi: { maxTokens: 1000 } } });
        store.refresh();
        assert.equal(store.get('kimi')!.limits.maxTokens, 1000);
        assert.deepEqual(changes.map(c => c.kind === 'reloaded' ? c.definition.id : c.kind), ['kimi']);

        settings('{ "coditect.agents": { "kimi": { "maxTokens": -5 } } }');
        store.refresh();
        assert.equal(store.get('kimi')!.limits.maxTokens, 1000);
        const invalid = store.invalid().find(i => i.file === '.theia/settings.json');
        assert.match(invalid?.error ?? '', /coditect\.agents\.kimi\.maxTokens must be a positive whole number, not -5/);
    });

    it('says what is wrong with a bad override, wherever it comes from', () => {
        assert.throws(() => validateAgentOverride({ modle: 'x' }, `${AgentOverridesPreference}.claude`), /unknown setting "modle"; known: model, baseUrl/);
        assert.throws(() => validateAgentOverride({ baseUrl: 'ftp://x' }, `${AgentOverridesPreference}.claude`), /must be an http\(s\) URL/);
        assert.throws(() => validateAgentOverride({ temperature: 3 }, 'x'), /from 0 to 2/);
        assert.throws(() => environmentOverrides(['claude'], { STUDIO_AGENT_CLAUDE_MAX_STEPS: 'many' }), /STUDIO_AGENT_CLAUDE_\*\.maxSteps must be a positive whole number/);
        assert.deepEqual(environmentOverrides(['my-agent'], { STUDIO_AGENT_MY_AGENT_MAX_STEPS: '7' }), { 'my-agent': { maxSteps: 7 } });
    });
});
