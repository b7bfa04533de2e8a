import * as assert from 'node:assert/strict';
import { CommandService } from '@theia/core/lib/common/command';
import { Emitter } from '@theia/core/lib/common/event';
import { MessageService } from '@theia/core/lib/common/message-service';
import { Container } from '@theia/core/shared/inversify';
import { StudioSession } from '@coditect/studio-platform/browser';
import type { AgentSnapshot, TaskInfo } from '../common/orchestrator-protocol';
import { OrchestratorService } from '../common/orchestrator-protocol';
import { OrchestratorWatcher } from './orchestrator-watcher';
import { TaskQueueModel } from './task-queue-model';

interface PendingSubmit {
    agentId: string;
    request: { prompt: string; priority: number; budgetUsd?: string };
    accept(id: number): void;
    refuse(message: string): void;
}

describe('TaskQueueModel', () => {
    let model: TaskQueueModel;
    let pending: PendingSubmit[];
    let infos: string[];
    let errors: string[];

    beforeEach(() => {
        pending = [];
        infos = [];
        errors = [];
        const container = new Container();
        const agents = [{ id: 'claude', name: 'Claude' }, { id: 'gemini', name: 'Gemini' }] as unknown as AgentSnapshot[];
        container.bind(OrchestratorWatcher).toConstantValue({
            agents, tasks: [] as TaskInfo[], onDidChange: new Emitter<void>().event, start: async () => undefined,
        } as unknown as OrchestratorWatcher);
        // The backend answers when the test says so, as a busy one does.
        container.bind(OrchestratorService).toConstantValue({
            submitTask: (agentId: string, request: PendingSubmit['request']) => new Promise<TaskInfo>((resolve, reject) => pending.push({
                agentId, request, accept: id => resolve({ id } as TaskInfo), refuse: message => reject(new Error(message)),
            })),
        } as unknown as OrchestratorService);
        container.bind(MessageService).toConstantValue({
            info: async (text: string) => { infos.push(text); return undefined; },
            error: async (text: string) => { errors.push(text); return undefined; },
        } as unknown as MessageService);
        container.bind(CommandService).toConstantValue({ executeCommand: async () => undefined });
        container.bind(StudioSession).toConstantValue({ onDidChange: new Emitter<void>().event, allows: () => true } as unknown as StudioSession);
        container.bind(TaskQueueModel).toSelf();
        model = container.get(TaskQueueModel);
    });

    const settled = () => new Promise(resolve => setImmediate(resolve));

    it('sends the draft to the chosen agent and clears its prompt and budget at once, keeping agent and priority', async () => {
        model.updateDraft({ agentId: 'gemini', prompt: '  Write the notes ', priority: 2, budgetUsd: ' 1.5 ' });
        const submitted = model.submit();
        assert.deepEqual(model.draft, { agentId: 'gemini', prompt: '', priority: 2, budgetUsd: '' });
        assert.equal(model.canSubmit, false, 'a second click cannot send the same task twice');
        assert.equal(pending.length, 1);
        assert.equal(pending[0].agentId, 'gemini');
        assert.deepEqual(pending[0].request, { prompt: 'Write the notes', priority: 2, budgetUsd: '1.5' });
        pending[0].accept(7);
        await submitted;
        assert.deepEqual(infos, ['Queued task #7 for Gemini.']);
    });

    it('keeps what is typed while the backend answers: it is the next task, not lost when the first is queued', async () => {
        model.updateDraft({ agentId: 'claude', prompt: 'First task', budgetUsd: '1' });
        const first = model.submit();
        model.updateDraft({ agentId: 'gemini', prompt: 'Second task' });
        pending[0].accept(1);
        await first;
        assert.equal(model.draft.prompt, 'Second task');
        assert.equal(model.canSubmit, true);
        const second = model.submit();
        pending[1].accept(2);
        await second;
        assert.deepEqual(pending.map(p => [p.agentId, p.request.prompt]), [['claude', 'First task'], ['gemini', 'Second task']]);
    });

    it('a refusal gives the draft back with the backend\'s words, unless a new prompt was typed meanwhile', async () => {
        model.updateDraft({ prompt: 'Too costly', budgetUsd: '-3' });
        const refused = model.submit();
        pending[0].refuse('budgetUsd must be a positive amount in USD, such as 2.50');
        await refused;
        assert.equal(model.draft.prompt, 'Too costly');
        assert.equal(model.draft.budgetUsd, '-3');
        assert.deepEqual(errors, ['budgetUsd must be a positive amount in USD, such as 2.50']);

        const again = model.submit();
        model.updateDraft({ prompt: 'Something else' });
        pending[1].refuse('refused');
        await again;
        await settled();
        assert.equal(model.draft.prompt, 'Something else', 'the newer prompt is not overwritten by the refused one');
    });

    it('sends nothing without a prompt, and the first agent when none was chosen', async () => {
        model.updateDraft({ prompt: '   ' });
        await model.submit();
        assert.equal(pending.length, 0);
        model.updateDraft({ prompt: 'Go' });
        const submitted = model.submit();
        assert.equal(pending[0].agentId, 'claude');
        pending[0].accept(3);
        await submitted;
    });
});
