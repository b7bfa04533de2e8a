import * as assert from 'node:assert/strict';
import URI from '@theia/core/lib/common/uri';
import type { ChangeFileSummary } from '../common/change-review-protocol';
import { ChatChangeActions, ChatChangeElement } from './chat-change-element';

const file = (review: ChangeFileSummary['review'], status: ChangeFileSummary['status'] = 'modified'): ChangeFileSummary => ({
    path: 'src/deep/a.ts', status, origin: 'tool', added: 1, removed: 1, hunks: 1, review, lastChangedAt: 1,
});

describe('ChatChangeElement: a file of a task\'s change set in Theia\'s chat', () => {
    const calls: string[] = [];
    const actions: ChatChangeActions = {
        open: async uri => void calls.push(`open ${uri.path.toString()}`),
        openDiff: async (taskId, path) => void calls.push(`diff ${taskId} ${path}`),
        review: async (taskId, path, decision) => void calls.push(`${decision} ${taskId} ${path}`),
    };

    it('is applied (already in the workspace) until rejected, and tells the chat when that changes', () => {
        let released = 0;
        const element = new ChatChangeElement(new URI('file:///ws/src/deep/a.ts'), 7, file('pending'), actions, () => released++);
        assert.deepEqual([element.name, element.additionalInfo, element.type, element.state], ['a.ts', 'src/deep', 'modify', 'applied']);
        let fired = 0;
        element.onDidChange(() => fired++);
        element.update(file('partly-accepted'));
        assert.equal(fired, 0, 'a partly rejected file is still applied');
        element.update(file('rejected'));
        assert.deepEqual([element.state, fired], ['pending', 1]);
        element.dispose();
        assert.equal(released, 1);
        assert.equal(new ChatChangeElement(new URI('file:///ws/b.ts'), 7, file('pending', 'added'), actions).type, 'add');
    });

    it('is pending while its change set waits for review, applied once the set landed', () => {
        const element = new ChatChangeElement(new URI('file:///ws/src/deep/a.ts'), 7, file('pending'), actions, undefined, 'waiting');
        let fired = 0;
        element.onDidChange(() => fired++);
        assert.equal(element.state, 'pending');
        element.update(file('accepted'), 'applied');
        assert.deepEqual([element.state, fired], ['applied', 1]);
        element.update(file('rejected'), 'discarded');
        assert.equal(element.state, 'pending');
    });

    it('reverts by rejecting, applies by accepting, and opens the file or the task\'s diff', async () => {
        calls.length = 0;
        const element = new ChatChangeElement(new URI('file:///ws/src/deep/a.ts'), 7, file('pending'), actions);
        await element.revert();
        await element.apply();
        await element.openChange();
        await element.open();
        assert.deepEqual(calls, ['reject 7 src/deep/a.ts', 'accept 7 src/deep/a.ts', 'diff 7 src/deep/a.ts', 'open /ws/src/deep/a.ts']);
    });
});
