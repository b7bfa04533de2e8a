import * as assert from 'node:assert/strict';
import type { ChangeSetSummary } from '../common/change-review-protocol';
import { groupByAgent } from './change-groups';

const set = (taskId: number, agentId: string, createdAt: number): ChangeSetSummary => ({
    taskId, agentId, title: `task ${taskId}`, review: 'pending', createdAt, updatedAt: createdAt, added: 1, removed: 0, comments: 0, overlapsWith: [], files: [],
});

describe('groupByAgent', () => {
    it('groups the change sets by agent, newest first within a group and the most recently active agent first', () => {
        const groups = groupByAgent([set(1, 'claude', 100), set(2, 'gemini', 200), set(3, 'claude', 300), set(4, 'codex', 250)]);
        assert.deepEqual(groups.map(g => g.agentId), ['claude', 'codex', 'gemini']);
        assert.deepEqual(groups[0].changeSets.map(s => s.taskId), [3, 1]);
        assert.deepEqual(groups[1].changeSets.map(s => s.taskId), [4]);
    });

    it('orders change sets created at the same time by task number, higher first', () => {
        const groups = groupByAgent([set(5, 'claude', 100), set(7, 'claude', 100), set(6, 'claude', 100)]);
        assert.deepEqual(groups[0].changeSets.map(s => s.taskId), [7, 6, 5]);
    });

    it('gives no group for no change sets, and leaves its input as it was', () => {
        assert.deepEqual(groupByAgent([]), []);
        const input = [set(1, 'a', 1), set(2, 'a', 2)];
        groupByAgent(input);
        assert.deepEqual(input.map(s => s.taskId), [1, 2]);
    });
});
