import type { ChatMessage } from '../chat/chat-types';
import type { Disposable, Event } from '../common/emitter';
import { describeAuthor, type FileChangeRecord } from '../file-changes/change-author';
import type { LockEvent, LockOwner } from '../locks/lock-types';
import type { FileEditEvent, OrchestratorEvent } from '../orchestrator/orchestrator-types';
import type { TaskInfo } from '../orchestrator/task-repository';
import type { SessionTimeline } from '../timeline/session-timeline';
import type { JsonObject, TimelineEventInput } from '../timeline/timeline-types';
import { agentIdOf } from '../policy/principal';

/** How much of a task's prompt the timeline keeps (a chat task's prompt carries the whole conversation). */
const PromptCap = 4000;

/** A priced model request as the costs announce it; only what the timeline records (costs/cost-types.ts `CostRecord`). */
interface CostRecordLike {
    readonly usageId: number;
    readonly at: number;
    readonly agentId: string;
    readonly taskId?: number;
    readonly provider: string;
    readonly model: string;
    readonly tokens: object;
    readonly costPico: string | null;
}

/** A budget announcement (costs/cost-types.ts `BudgetEvent`). */
interface BudgetEventLike {
    readonly kind: string;
    readonly at: number;
    readonly budget: object;
    readonly agentIds: readonly string[];
    readonly taskId?: number;
    readonly message: string;
}

/** What the composition root feeds the timeline from; each part optional (a part that did not start is left out). */
export interface TimelineFeedSources {
    readonly orchestrator?: { readonly onEvent: Event<OrchestratorEvent>; readonly onFileEdit: Event<FileEditEvent> };
    readonly locks?: { readonly onLockEvent: Event<LockEvent> };
    readonly chat?: { readonly onMessage: Event<ChatMessage> };
    readonly costs?: { readonly onCostRecorded: Event<CostRecordLike>; readonly onBudgetEvent: Event<BudgetEventLike> };
    readonly fileChanges?: { readonly onRecords: Event<readonly FileChangeRecord[]> };
}

/**
 * Subscribes the timeline to the parts above it. The timeline sits below the orchestrator and
 * knows only plain records; this is where the parts' events become those records. Listeners only
 * map and queue (SessionTimeline.record never touches the database), so no source is slowed.
 */
export function feedTimeline(timeline: Pick<SessionTimeline, 'record' | 'recordFileEdit'>, sources: TimelineFeedSources): Disposable {
    const subscriptions: Disposable[] = [];
    const record = (event: TimelineEventInput | undefined) => {
        if (event) {
            timeline.record(event);
        }
    };
    if (sources.orchestrator) {
        subscriptions.push(sources.orchestrator.onEvent(event => record(timelineEventOfOrchestrator(event))));
        // An edit kept in an agent's overlay changed no workspace file: it reaches the timeline when it lands, as the reviewer's write.
        subscriptions.push(sources.orchestrator.onFileEdit(edit => {
            if (!edit.overlay) {
                timeline.recordFileEdit({ path: edit.path, before: edit.before, after: edit.after, agentId: edit.agentId, taskId: edit.taskId, by: edit.by, at: edit.at });
            }
        }));
    }
    if (sources.locks) {
        subscriptions.push(sources.locks.onLockEvent(event => record(timelineEventOfLock(event))));
    }
    if (sources.chat) {
        subscriptions.push(sources.chat.onMessage(message => record(timelineEventOfChat(message))));
    }
    if (sources.costs) {
        subscriptions.push(sources.costs.onCostRecorded(cost => record({
            kind: 'cost', agentId: cost.agentId, taskId: cost.taskId, at: cost.at,
            data: { usageId: cost.usageId, provider: cost.provider, model: cost.model, tokens: cost.tokens as JsonObject, costPico: cost.costPico },
        })));
        subscriptions.push(sources.costs.onBudgetEvent(event => record({
            kind: 'budget', agentId: event.agentIds.length === 1 ? event.agentIds[0] : undefined, taskId: event.taskId, at: event.at,
            data: { ...(event as unknown as JsonObject) },
        })));
    }
    if (sources.fileChanges) {
        subscriptions.push(sources.fileChanges.onRecords(records => records.forEach(r => record(timelineEventOfFileChange(r)))));
    }
    return { dispose: () => subscriptions.splice(0).forEach(s => s.dispose()) };
}

/**
 * A watcher's record as a `file-change` event: in the agent's lane when one agent's command or
 * tool made it, else in the Studio lane. Command lines are masked by the timeline like any text.
 */
function timelineEventOfFileChange(change: FileChangeRecord): TimelineEventInput {
    const author = change.author;
    const agents = author.kind === 'agent-command' ? [...new Set(author.commands.map(c => c.agentId))] : author.kind === 'agent-tool' ? [author.agentId] : [];
    const tasks = author.kind === 'agent-command' ? [...new Set(author.commands.map(c => c.taskId))] : author.kind === 'agent-tool' ? [author.taskId] : [];
    const single = change.path !== undefined && change.change !== undefined;
    return {
        kind: 'file-change', at: change.at,
        agentId: agents.length === 1 ? agents[0] : undefined, taskId: agents.length === 1 && tasks.length === 1 ? tasks[0] : undefined,
        path: single ? change.path : undefined,
        data: {
            author: author.kind, by: describeAuthor(author), count: change.count,
            ...(single ? { path: change.path!, change: change.change! } : { bulk: true, counts: { ...change.counts! }, paths: [...change.paths ?? []] }),
            ...(author.kind === 'agent-command' ? {
                commands: author.commands.map(c => ({ agentId: c.agentId, ...(c.taskId !== undefined ? { taskId: c.taskId } : {}), command: c.command })),
                ...(author.viaGit ? { viaGit: true } : {}),
            } : {}),
            ...(author.kind === 'agent-tool' ? { agentId: author.agentId, ...(author.taskId !== undefined ? { taskId: author.taskId } : {}) } : {}),
        },
    };
}

const taskData = (task: TaskInfo): JsonObject => ({
    id: task.id, title: task.title, prompt: task.prompt.length > PromptCap ? `${task.prompt.slice(0, PromptCap)}… (${task.prompt.length - PromptCap} more characters)` : task.prompt,
    status: task.status, priority: task.priority, attempts: task.attempts, maxAttempts: task.maxAttempts,
    ...(task.parentTaskId !== undefined ? { parentTaskId: task.parentTaskId } : {}), ...(task.fromAgentId !== undefined ? { fromAgentId: task.fromAgentId } : {}),
    ...(task.result?.summary !== undefined ? { summary: task.result.summary } : {}),
    ...(task.result?.error ?? task.lastError ? { error: (task.result?.error ?? task.lastError)! } : {}),
    ...(task.result?.steps !== undefined ? { steps: task.result.steps } : {}),
    ...(task.workflow ? { workflow: { ...task.workflow } } : {}),
});

/** The timeline record of an orchestrator event (docs/timeline-archive.md, by kind). */
function timelineEventOfOrchestrator(event: OrchestratorEvent): TimelineEventInput | undefined {
    switch (event.type) {
        case 'agent-state':
            return {
                kind: 'agent-state', agentId: event.agentId, taskId: event.taskId,
                data: { from: event.from, to: event.to, reason: event.reason, ...(event.waitingOn ? { waitingOn: event.waitingOn as unknown as JsonObject } : {}) },
            };
        case 'task':
            return { kind: 'task', agentId: event.task.agentId, taskId: event.task.id, data: { change: event.change, task: taskData(event.task) } };
        case 'tool-call': {
            const target = event.call.arguments.path;
            return {
                kind: 'tool-call', agentId: event.agentId, taskId: event.taskId, path: typeof target === 'string' ? target : undefined,
                data: {
                    phase: event.phase, step: event.step, call: { id: event.call.id, name: event.call.name, arguments: event.call.arguments as JsonObject },
                    ...(event.result ? { result: event.result } : {}), ...(event.durationMs !== undefined ? { durationMs: event.durationMs } : {}),
                },
            };
        }
        case 'model-turn':
            return { kind: 'model-turn', agentId: event.agentId, taskId: event.taskId, data: { step: event.step, text: event.text } };
        case 'usage':
            return { kind: 'usage', agentId: event.agentId, taskId: event.taskId, data: { model: event.model, usage: { ...event.usage }, tokensUsed: event.tokensUsed } };
        case 'message': {
            const m = event.message;
            return { kind: 'message', agentId: m.from !== 'user' && m.from !== 'system' ? m.from : undefined, data: { topic: m.topic, from: m.from, ...(m.to ? { to: m.to } : {}), text: m.text } };
        }
        case 'restart':
            return { kind: 'restart', agentId: event.agentId, taskId: event.taskId, data: { reason: event.reason, delayMs: event.delayMs } };
        case 'definition': {
            const c = event.change;
            return c.kind === 'invalid'
                ? { kind: 'definition', agentId: c.agentId, data: { change: c.kind, file: c.file, error: c.error, keptLastGood: c.keptLastGood } }
                : { kind: 'definition', agentId: c.definition.id, data: { change: c.kind, file: c.file, vendor: c.definition.vendor, model: c.definition.model } };
        }
        case 'workflow': {
            const run = event.run;
            return {
                kind: 'workflow',
                data: {
                    runId: run.id, name: run.name, input: run.input, status: run.status, startedBy: run.startedBy, ...(run.error ? { error: run.error } : {}),
                    steps: run.steps.map(step => ({ id: step.id, agent: step.agent, status: step.status, ...(step.taskId !== undefined ? { taskId: step.taskId } : {}) })),
                },
            };
        }
        default:
            return undefined;
    }
}

const agentOf = (owner: LockOwner): string | undefined => (owner.kind === 'agent' ? agentIdOf(owner.id) : undefined);
const ownerData = (owner: LockOwner): JsonObject => ({ id: owner.id, kind: owner.kind, displayName: owner.displayName });
const taskOf = (taskId: string | undefined): number | undefined => (taskId !== undefined && /^\d+$/.test(taskId) ? Number(taskId) : undefined);

/** Lock renewals are left out: a person's editor renews every 30 s, which says nothing about the work. */
function timelineEventOfLock(event: LockEvent): TimelineEventInput | undefined {
    switch (event.kind) {
        case 'renewed':
            return undefined;
        case 'acquired':
        case 'released':
        case 'expired':
        case 'changed-outside':
        case 'force-released': {
            const lock = event.lock;
            return {
                kind: 'lock', agentId: agentOf(lock.owner), taskId: taskOf(lock.taskId), path: lock.path || undefined,
                data: {
                    change: event.kind, path: lock.path, mode: lock.mode, owner: ownerData(lock.owner), lockId: lock.id,
                    ...(event.kind === 'acquired' ? { waitedMs: event.waitedMs } : {}),
                    ...(event.kind === 'force-released' ? { by: ownerData(event.by), reason: event.reason } : {}),
                    ...(event.kind === 'changed-outside' && lock.changedOutside ? { changedOutside: { ...lock.changedOutside } } : {}),
                },
            };
        }
        case 'waiting':
        case 'escalated':
        case 'wait-ended': {
            const w = event.waiter;
            return {
                kind: 'lock', agentId: agentOf(w.owner), taskId: taskOf(w.taskId), path: w.path || undefined,
                data: {
                    change: event.kind, path: w.path, mode: w.mode, owner: ownerData(w.owner), holders: w.blockedBy.map(l => l.owner.displayName),
                    ...(event.kind === 'wait-ended' ? { outcome: event.outcome } : {}),
                },
            };
        }
    }
}

function timelineEventOfChat(message: ChatMessage): TimelineEventInput {
    return {
        kind: 'chat-message', agentId: message.agentId, taskId: message.taskId,
        data: {
            conversationId: message.conversationId, role: message.role, text: message.text, messageId: message.id,
            ...(message.user ? { user: { id: message.user.id, displayName: message.user.displayName } } : {}),
        },
    };
}
