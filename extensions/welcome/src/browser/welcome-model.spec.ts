import { enableJSDOM } from '@theia/core/lib/browser/test/jsdom';
let disableJSDOM = enableJSDOM();
import './welcome-spec-environment-test-support';

import * as assert from 'node:assert/strict';
import URI from '@theia/core/lib/common/uri';
import { SharedCommands } from '@coditect/studio-platform/common';
import { agent, missingKey, settle, welcomeContainer, WelcomeFixture } from './welcome-test-support';
import { WelcomeModel } from './welcome-model';

disableJSDOM();

describe('WelcomeModel', () => {
    before(() => disableJSDOM = enableJSDOM());
    after(() => disableJSDOM());

    let fixture: WelcomeFixture;
    let model: WelcomeModel;
    let renders: number;

    beforeEach(async () => {
        fixture = welcomeContainer();
        fixture.service.agentList = [agent('claude', 'needs-key', missingKey), agent('gemini', 'idle')];
        model = fixture.container.get(WelcomeModel);
        renders = 0;
        model.onDidChange(() => renders++);
        await settle();
    });
    afterEach(() => model.dispose());

    it('shows the agents as read, and reads them again when an agent\'s state is pushed, not on usage', async () => {
        assert.deepEqual(model.agents.map(a => [a.id, a.state]), [['claude', 'needs-key'], ['gemini', 'idle']]);
        const reads = fixture.service.reads;
        fixture.push({ type: 'usage', agentId: 'gemini', taskId: 1, model: 'm', usage: { inputTokens: 1, outputTokens: 1 } as never, tokensUsed: 2 });
        await settle();
        assert.equal(fixture.service.reads, reads, 'usage changes nothing the page shows');
        fixture.service.agentList = [agent('claude', 'idle'), agent('gemini', 'executing')];
        fixture.push({ type: 'agent-state', agentId: 'claude', from: 'needs-key', to: 'idle', reason: 'key set', at: 2 });
        fixture.push({ type: 'agent-state', agentId: 'gemini', from: 'idle', to: 'executing', reason: 'task', at: 2 });
        await settle();
        assert.equal(fixture.service.reads, reads + 1, 'a burst is one read');
        assert.deepEqual(model.agents.map(a => a.state), ['idle', 'executing']);
        assert.ok(renders >= 1);
    });

    it('asks for an admin while no Set Provider Key command is registered, and offers none to an agent with its key', () => {
        assert.equal(model.keyAction(model.agents[0]), 'ask-admin');
        assert.equal(model.keyAction(model.agents[1]), undefined);
    });

    it('offers Add key when the command is enabled for this user and this agent, and runs it with the agent', async () => {
        const ran: unknown[] = [];
        let mayManageKeys = true;
        const before = renders;
        fixture.commands.registerCommand(SharedCommands.PROVIDER_KEY_SET, { execute: arg => ran.push(arg), isEnabled: () => mayManageKeys });
        await settle();
        assert.ok(renders > before, 'a registered command renders the page again');
        assert.equal(model.keyAction(model.agents[0]), 'add-key');
        model.addKey('claude');
        await settle();
        assert.deepEqual(ran, [{ agentId: 'claude' }]);
        mayManageKeys = false;
        assert.equal(model.keyAction(model.agents[0]), 'ask-admin');
    });

    it('lists the workspace\'s files opened last, newest first, once each, at most five', () => {
        const file = (name: string) => new URI(`file:///w/src/${name}`);
        fixture.locations.push(file('a.ts'), new URI('file:///elsewhere/x.ts'), file('b.ts'), file('a.ts'), new URI('untitled:Untitled-1'),
            file('c.ts'), file('d.ts'), file('e.ts'), file('f.ts'));
        assert.deepEqual(model.recentFiles().map(uri => uri.path.base), ['f.ts', 'e.ts', 'd.ts', 'c.ts', 'a.ts']);
    });
});
