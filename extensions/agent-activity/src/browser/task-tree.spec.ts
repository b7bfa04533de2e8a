import * as assert from 'node:assert/strict';
import type { TaskInfo } from '../common/orchestrator-protocol';
import { taskTree } from './task-tree';

const task = (id: number, parentTaskId?: number): TaskInfo => ({ id, parentTaskId } as TaskInfo);

describe('the task queue as a tree', () => {
    it('puts each delegated task under the task that delegated it, as deep as its chain', () => {
        const all = [task(1), task(2, 1), task(3, 1), task(4, 2), task(5), task(6, 9)];
        assert.deepEqual(taskTree(all, all).map(r => `${r.task.id}@${r.depth}`), ['1@0', '2@1', '4@2', '3@1', '5@0', '6@1']);
        // A parent in another section: the child keeps its place and its depth.
        assert.deepEqual(taskTree([task(4, 2), task(5)], all).map(r => `${r.task.id}@${r.depth}`), ['4@2', '5@0']);
        assert.deepEqual(taskTree([], all), []);
    });
});
