import * as assert from 'node:assert/strict';
import { MessageService } from '@theia/core/lib/common/message-service';
import { ProgressService } from '@theia/core/lib/common/progress-service';
import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import { Container } from '@theia/core/shared/inversify';
import { ChangeReviewService } from '../common/change-review-protocol';
import type { CheckpointInfo, CheckpointRestoreRequest, CheckpointRestoreResult } from '../common/change-review-protocol';
import { CheckpointRestorer } from './checkpoint-restorer';
import { RestoreConfirmation } from './restore-confirmation';

const checkpoint = (id: number, taskId: number | undefined, available = true): CheckpointInfo => ({
    id, at: id * 1000, kind: taskId === undefined ? 'restore' : 'task', ...(taskId !== undefined ? { taskId } : {}), label: `Before task #${taskId}`, available,
});

/** The person's answer to the confirmation, instead of a dialog. */
class Answering implements RestoreConfirmation {
    confirmations: string[] = [];
    answer = true;
    async confirm(cp: Pick<CheckpointInfo, 'id'>, path: string | undefined): Promise<boolean> {
        this.confirmations.push(`#${cp.id} ${path ?? 'workspace'}`);
        return this.answer;
    }
}

describe('CheckpointRestorer', () => {
    let restorer: CheckpointRestorer;
    let person: Answering;
    let requests: CheckpointRestoreRequest[];
    let results: CheckpointRestoreResult[];
    let shown: { level: string; text: string; actions: string[] }[];
    let clickUndo: boolean;
    let list: CheckpointInfo[];

    beforeEach(() => {
        requests = [];
        shown = [];
        clickUndo = false;
        list = [checkpoint(2, 5), checkpoint(1, 4, false)];
        results = [];
        const container = new Container();
        container.bind(ChangeReviewService).toConstantValue({
            checkpoints: async () => list,
            restoreCheckpoint: async (request: CheckpointRestoreRequest) => {
                requests.push(request);
                return results.shift() ?? { checkpointId: request.checkpointId, undoCheckpointId: 99, files: [] };
            },
        } as unknown as ChangeReviewService);
        const say = (level: string) => async (text: string, ...actions: string[]) => {
            shown.push({ level, text, actions });
            return clickUndo && actions.includes('Undo') ? 'Undo' : undefined;
        };
        container.bind(MessageService).toConstantValue({ info: say('info'), warn: say('warn'), error: say('error') } as unknown as MessageService);
        container.bind(ProgressService).toConstantValue({ withProgress: (_t: string, _l: string, task: () => Promise<unknown>) => task() } as unknown as ProgressService);
        container.bind(QuickInputService).toConstantValue({ pick: async (items: { checkpoint: CheckpointInfo }[]) => items[0] } as unknown as QuickInputService);
        person = new Answering();
        container.bind(RestoreConfirmation).toConstantValue(person);
        container.bind(CheckpointRestorer).toSelf();
        restorer = container.get(CheckpointRestorer);
    });

    it('restores the workspace to before a task once the person confirms, and undoes it from the message without asking again', async () => {
        results.push({ checkpointId: 2, undoCheckpointId: 7, files: [{ path: 'a.ts', outcome: 'restored' }, { path: 'new.ts', outcome: 'deleted' }] });
        clickUndo = true;
        await restorer.restoreBeforeTask(5);
        assert.deepEqual(person.confirmations, ['#2 workspace']);
        assert.deepEqual(requests, [{ checkpointId: 2, path: undefined }, { checkpointId: 7, path: undefined }]);
        assert.deepEqual(shown.map(s => [s.level, s.actions]), [['info', ['Undo']], ['info', []]]);
        assert.equal(shown[0].text, 'Restored 2 file(s) to checkpoint #2.');
    });

    it('asks before a file and does nothing when the person declines', async () => {
        person.answer = false;
        await restorer.restoreBeforeTask(5, 'src/a.ts');
        assert.deepEqual(person.confirmations, ['#2 src/a.ts']);
        assert.deepEqual(requests, []);
    });

    it('names each file it could not put back, and says when a task has no checkpoint to restore', async () => {
        results.push({ checkpointId: 2, undoCheckpointId: 8, files: [{ path: 'big.bin', outcome: 'skipped', reason: 'too large' }, { path: 'b.ts', outcome: 'restored' }] });
        await restorer.restoreBeforeTask(5);
        assert.deepEqual(shown.map(s => [s.level, s.text]), [['warn', 'Not put back: big.bin \\(too large\\)'], ['info', 'Restored 1 file(s) to checkpoint #2.']]);
        shown = [];
        await restorer.restoreBeforeTask(4);
        assert.match(shown[0].text, /Task #4 has no checkpoint to restore: it started before the studio kept the workspace's history/);
        assert.equal(requests.length, 1);
    });

    it('offers only the checkpoints that can be restored in the picker', async () => {
        list = [checkpoint(1, 4, false)];
        await restorer.pickAndRestore();
        assert.match(shown[0].text, /There is no checkpoint to restore yet/);
        list = [checkpoint(3, undefined), checkpoint(1, 4, false)];
        await restorer.pickAndRestore();
        assert.deepEqual(requests, [{ checkpointId: 3, path: undefined }]);
    });
});
