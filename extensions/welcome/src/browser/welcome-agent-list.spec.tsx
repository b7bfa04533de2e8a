import { enableJSDOM } from '@theia/core/lib/browser/test/jsdom';
let disableJSDOM = enableJSDOM();

import * as assert from 'node:assert/strict';
import * as React from '@theia/core/shared/react';
import { flushSync } from '@theia/core/shared/react-dom';
import { createRoot } from '@theia/core/shared/react-dom/client';
import { AgentSnapshot } from '../common/welcome-agents-protocol';
import { AgentKeyAction } from './welcome-model';
import { WelcomeAgentList } from './welcome-agent-list';
import { agent, missingKey } from './agent-fixtures-test-support';

disableJSDOM();

describe('WelcomeAgentList', () => {
    before(() => disableJSDOM = enableJSDOM());
    after(() => disableJSDOM());

    const agents = [
        agent('claude', 'needs-key', missingKey), agent('codex', 'needs-key', missingKey), agent('gemini', 'executing'),
        { ...agent('code-reviewer', 'needs-key', missingKey, 'on-demand'), name: 'CodeReviewer', description: 'Reviews a change.' }, agent('test-writer', 'executing', undefined, 'on-demand'),
    ];
    const render = (keyAction: (a: AgentSnapshot) => AgentKeyAction | undefined, addKey: (id: string) => void = () => undefined) => {
        const element = document.createElement('div');
        flushSync(() => createRoot(element).render(<WelcomeAgentList agents={agents} error={undefined} keyAction={keyAction} addKey={addKey} />));
        return element;
    };

    it('shows each agent with its vendor and model, and its state with the state\'s codicon', () => {
        const html = render(() => undefined);
        const rows = [...html.querySelectorAll('.coditect-welcome-agent')];
        assert.deepEqual(rows.map(r => r.getAttribute('data-agent-id')), ['claude', 'codex', 'gemini'], 'one row each for the agents whose process always runs');
        assert.equal(rows[0].querySelector('.coditect-welcome-agent-model')?.textContent, 'anthropic · claude-sonnet-4-5');
        assert.equal(rows[0].querySelector('.coditect-welcome-agent-state')?.textContent, 'needs key');
        assert.ok(rows[0].querySelector('.coditect-welcome-agent-state .codicon-key'));
        assert.equal(rows[0].querySelector('.coditect-welcome-agent-state')?.getAttribute('title'), missingKey, 'the reason on hover');
        assert.equal(rows[2].querySelector('.coditect-welcome-agent-state')?.textContent, 'executing');
        assert.ok(rows[2].querySelector('.codicon-play-circle'));
    });

    it('offers Add key where the user may add one, and says who can elsewhere', () => {
        const added: string[] = [];
        const html = render(a => a.id === 'claude' ? 'add-key' : a.id === 'codex' ? 'ask-admin' : undefined, id => added.push(id));
        const claude = html.querySelector('[data-agent-id="claude"]')!;
        assert.equal(claude.querySelector('.coditect-welcome-ask-admin'), null);
        claude.querySelector<HTMLButtonElement>('button.coditect-welcome-add-key')!.click();
        assert.deepEqual(added, ['claude']);
        const codex = html.querySelector('[data-agent-id="codex"]')!;
        assert.equal(codex.querySelector('button'), null);
        assert.equal(codex.querySelector('.coditect-welcome-ask-admin')?.textContent, 'A workspace admin can add this key');
        assert.equal(html.querySelector('[data-agent-id="gemini"] .coditect-welcome-add-key, [data-agent-id="gemini"] .coditect-welcome-ask-admin'), null);
    });

    it('gathers the role agents in one row after the others, each with its state, and no key action of their own', () => {
        const html = render(() => 'add-key');
        const row = html.querySelector('.coditect-welcome-role-agents')!;
        assert.equal(html.querySelector('.coditect-welcome-agents')!.lastElementChild, row);
        assert.deepEqual([...row.querySelectorAll('.coditect-welcome-role-agent')].map(r => [r.getAttribute('data-agent-id'), r.textContent]),
            [['code-reviewer', '@CodeReviewer'], ['test-writer', '@Test-writer']]);
        assert.ok(row.querySelector('[data-agent-id="code-reviewer"] .codicon-key'));
        assert.match(row.querySelector('[data-agent-id="code-reviewer"]')!.getAttribute('title')!, /^Reviews a change\.\nanthropic · claude-sonnet-4-5 · needs key$/);
        assert.equal(row.querySelector('button'), null, 'keys are added on the vendor agents\' rows');
        assert.equal(html.querySelectorAll('button.coditect-welcome-add-key').length, 3, 'one for each row above');
    });

    it('says why when the agents cannot be read', () => {
        const element = document.createElement('div');
        flushSync(() => createRoot(element).render(<WelcomeAgentList agents={[]} error='the core is starting' keyAction={() => undefined} addKey={() => undefined} />));
        assert.match(element.textContent ?? '', /The agents could not be read: the core is starting/);
    });
});
