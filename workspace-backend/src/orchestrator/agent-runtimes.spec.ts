import * as assert from 'node:assert/strict';
import type { AgentDefinition } from './agent-definition';
import { AgentRuntime, ownerOf, UnknownAgentError } from './agent-runtime';
import { AgentRuntimes } from './agent-runtimes';
import { AgentStateMachine } from './agent-state';
import type { TaskInfo } from './task-repository';

const runtimeOf = (id: string, name: string): AgentRuntime => {
    const definition = { id, name } as AgentDefinition;
    return { definition, machine: new AgentStateMachine(id, 'idle', () => undefined), owner: ownerOf(definition), consecutiveFailures: 0 };
};

describe('AgentRuntimes', () => {
    it('finds an agent by id, or names the agents there are', () => {
        const runtimes = new AgentRuntimes();
        runtimes.add(runtimeOf('gemini', 'Gemini'));
        runtimes.add(runtimeOf('claude', 'Claude'));
        assert.equal(runtimes.require('claude').definition.name, 'Claude');
        assert.equal(runtimes.get('codex'), undefined);
        assert.throws(() => runtimes.require('codex'), (e: Error) => e instanceof UnknownAgentError && /known agents: gemini, claude/.test(e.message));
        assert.deepEqual(runtimes.ids(), ['gemini', 'claude']);
    });

    it('describes an agent\'s peers: every other agent, its state and the start of its task', () => {
        const runtimes = new AgentRuntimes();
        const claude = runtimeOf('claude', 'Claude');
        claude.running = { task: { prompt: 'x'.repeat(100) } as TaskInfo, controller: new AbortController(), step: 0, timer: undefined! };
        runtimes.add(claude);
        runtimes.add(runtimeOf('gemini', 'Gemini'));
        assert.deepEqual(runtimes.peersOf('gemini'), [{ name: 'Claude', state: 'idle', task: 'x'.repeat(80) }]);
        assert.deepEqual(runtimes.peersOf('claude'), [{ name: 'Gemini', state: 'idle', task: undefined }]);
    });
});
