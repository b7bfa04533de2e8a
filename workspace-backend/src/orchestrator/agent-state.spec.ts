import * as assert from 'node:assert/strict';
import { AgentState, AgentStateMachine, AgentStates, AgentTransition, AgentTransitions, IllegalTransitionError, isLegalTransition } from './agent-state';

const lock = { kind: 'lock' as const, path: 'src/a.ts', holders: ['Gemini'], message: 'waiting for lock on src/a.ts held by Gemini' };

describe('AgentStateMachine', () => {
    for (const from of AgentStates) {
        for (const to of AgentStates) {
            const legal = AgentTransitions[from].includes(to);
            it(`${legal ? 'allows' : 'refuses'} ${from} -> ${to}`, () => {
                const recorded: AgentTransition[] = [];
                const machine = new AgentStateMachine('claude', from, t => recorded.push(t), () => 42);
                if (legal) {
                    const t = machine.transition(to, 'because', { taskId: 7, waitingOn: to === 'waiting' ? lock : undefined });
                    assert.deepEqual(recorded, [t]);
                    assert.deepEqual({ from: t.from, to: t.to, at: t.at, taskId: t.taskId }, { from, to, at: 42, taskId: 7 });
                    assert.equal(machine.state, to);
                } else {
                    assert.throws(() => machine.transition(to, 'because', { waitingOn: lock }), (e: unknown) =>
                        e instanceof IllegalTransitionError && e.from === from && e.to === to && e.message.includes(`${from} -> ${to}`));
                    assert.equal(machine.state, from, 'an illegal move changes nothing');
                    assert.deepEqual(recorded, []);
                }
            });
        }
    }

    it('has no self-transitions and every state can reach idle', () => {
        for (const s of AgentStates) {
            assert.equal(isLegalTransition(s, s), false, s);
        }
        const reach = (from: AgentState, seen = new Set<AgentState>()): boolean =>
            from === 'idle' || AgentTransitions[from].some(n => !seen.has(n) && (seen.add(n), reach(n, seen)));
        AgentStates.forEach(s => assert.ok(reach(s), `${s} reaches idle`));
    });

    it('refuses waiting without what it waits on, and keeps the wait while waiting', () => {
        const machine = new AgentStateMachine('claude', 'executing', () => undefined);
        assert.throws(() => machine.transition('waiting', 'x'), IllegalTransitionError);
        machine.transition('waiting', lock.message, { waitingOn: lock });
        assert.deepEqual(machine.waitingOn, lock);
        machine.transition('executing');
        assert.equal(machine.waitingOn, undefined);
    });
});
