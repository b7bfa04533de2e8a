import type { AgentRuntime, RunningTask } from './agent-runtime';
import type { AgentRuntimes } from './agent-runtimes';
import type { WaitingOn } from './agent-state';
import type { BusMessage, MessageBus } from './message-bus';
import type { TaskLedger } from './task-ledger';
import type { TaskInfo } from './task-repository';
import type { TaskQueue } from './task-queue';
import type { DelegationRequest, ToolContext, ToolOutcome } from './tool-executor';
import { topicMatches } from './topic-pattern';
import { logFor } from '../telemetry/logger';

/** How many answers the loop guard remembers (a message older than that is long read). */
const MaxRememberedAnswers = 10_000;

/** The prompt of a task a message starts; the messages themselves follow it, as any turn's do. */
export const MessageTaskPrompt = 'New messages reached you on the workspace\'s message bus; they follow. Do what they ask of you, if anything, and answer with '
    + 'send_message only when the sender needs an answer. Then finish with a one-line summary.';

/**
 * How agents reach each other: direct messages and topics on the message bus (persisted, read on
 * the recipient's next turn, or starting a task for an idle agent whose definition says
 * `onMessage: "start-task"`), and `delegate`, a sub-task on another agent that the delegating task
 * waits for.
 *
 * Invariants:
 * - A delegation that would wait on itself, directly or through the chain of tasks that delegated
 *   it, is refused, so delegated tasks never wait for each other in a circle.
 * - A message sent from a task that a message from its recipient started (an answer) never starts
 *   a task for that recipient: two agents answering each other would never stop. It waits for the
 *   recipient's next turn.
 */
export class AgentCollaboration {
    /** The tasks a message started, by task id: who sent it. */
    protected readonly startedByMessage = new Map<number, string>();
    /** Messages sent from a task a message started, by message id: whom they answer (the latest `MaxRememberedAnswers`). */
    protected readonly answers = new Map<number, string>();
    /** Whom the message being published answers (set only during `publishFrom`'s publish). */
    protected pendingAnswer: string | undefined;

    constructor(
        protected readonly runtimes: AgentRuntimes,
        protected readonly ledger: TaskLedger,
        protected readonly queue: TaskQueue,
        protected readonly bus: MessageBus,
    ) {
        this.bus.subscribe('*', message => {
            if (this.pendingAnswer !== undefined) {
                this.answers.set(message.id, this.pendingAnswer);
                if (this.answers.size > MaxRememberedAnswers) {
                    this.answers.delete(this.answers.keys().next().value!);
                }
            }
            message.recipients.forEach(agentId => this.startForMessages(agentId, message));
        });
    }

    /** A direct message to a known agent (from a person or another agent): read on its next turn. */
    sendDirect(from: string, to: string, text: string): BusMessage {
        this.runtimes.require(to);
        return this.bus.send(from, to, text);
    }

    /** The agents whose definitions subscribe to `topic`. */
    subscribersOf(topic: string): string[] {
        return this.runtimes.all().filter(runtime => runtime.definition.subscribes.some(pattern => topicMatches(pattern, topic))).map(runtime => runtime.definition.id);
    }

    /** The agent's unread messages, handed to a turn of `taskId` (each once), as its prompt reads them. */
    takeInbox(agentId: string, taskId?: number): string[] {
        return this.bus.deliver(agentId, taskId).map(m => m.to !== undefined ? `from ${m.from}: ${m.text}` : `from ${m.from} on ${m.topic}: ${m.text}`);
    }

    /** The task went on past a turn: the messages its turns read are acknowledged. */
    acknowledge(agentId: string, taskId: number): void {
        this.bus.acknowledge(agentId, taskId);
    }

    /**
     * The task ended: what its turns read is acknowledged if it finished, else the agent's to read
     * again; messages still waiting may start its next task.
     */
    taskEnded(agentId: string, taskId: number, finished: boolean): void {
        this.startedByMessage.delete(taskId);
        if (finished) {
            this.bus.acknowledge(agentId, taskId);
        } else {
            this.bus.redeliver(agentId, taskId);
        }
        const waiting = this.bus.pending(agentId).filter(m => this.answers.get(m.id) !== agentId);
        if (waiting.length > 0) {
            this.startForMessages(agentId, waiting[waiting.length - 1]);
        }
    }

    /** Publishes from a task; when that task answers a message, the message is marked as the answer it is before anyone hears it. */
    protected publishAnswering(answering: string | undefined, publish: () => BusMessage): BusMessage {
        if (answering === undefined) {
            return publish();
        }
        this.pendingAnswer = answering;
        try {
            return publish();
        } finally {
            this.pendingAnswer = undefined;
        }
    }

    /** An agent of `onMessage: "start-task"`, idle with nothing queued, starts a task to read its messages. */
    startForMessages(agentId: string, latest: BusMessage): void {
        const runtime = this.runtimes.get(agentId);
        if (!runtime || runtime.definition.onMessage !== 'start-task' || runtime.running || this.ledger.queuedCount(agentId) > 0) {
            return;
        }
        if (this.answers.get(latest.id) === agentId) {
            return;
        }
        const fromAgent = this.runtimes.get(latest.from) ? latest.from : undefined;
        try {
            const task = this.queue.enqueue(agentId, {
                prompt: MessageTaskPrompt,
                title: `Messages from ${latest.from}`,
                ...(fromAgent ? { fromAgentId: fromAgent } : { submittedBy: latest.from }),
            });
            this.startedByMessage.set(task.id, latest.from);
        } catch (error) {
            logFor('bus').warn(`could not start a task for ${agentId}'s messages: ${(error as Error).message}`);
        }
    }

    /** What the running task's tools may ask of the other agents; `setWaiting` shows the agent waiting while it delegates. */
    toolsFor(runtime: AgentRuntime, running: RunningTask, setWaiting: (waitingOn: WaitingOn | undefined) => void): Pick<ToolContext, 'sendMessage' | 'delegate'> {
        const agentId = runtime.definition.id;
        return {
            sendMessage: (to, text) => {
                // Recorded before the publish, whose listeners may start the recipients' tasks.
                const answering = this.startedByMessage.get(running.task.id);
                if (to.agentId) {
                    this.runtimes.require(to.agentId);
                    this.publishAnswering(answering, () => this.bus.send(agentId, to.agentId!, text));
                    return `Sent to ${to.agentId}.`;
                }
                if (to.topic) {
                    const message = this.publishAnswering(answering, () => this.bus.publish(to.topic!, agentId, text));
                    return message.recipients.length > 0
                        ? `Published on ${to.topic} to ${message.recipients.join(', ')}.`
                        : `Published on ${to.topic}; no agent subscribes to it, so it is kept for people to read.`;
                }
                throw new Error('send_message needs "to" (an agent id) or "topic".');
            },
            delegate: request => this.delegate(running, request, setWaiting),
        };
    }

    /**
     * `delegate`: sub-tasks on other agents, queued at once (so they run in parallel), awaited all
     * or until the first finishes (the others are then cancelled); refused when one would wait on
     * itself (directly or through the chain). When the delegating task stops, what it still waits
     * for is cancelled.
     */
    protected async delegate(running: RunningTask, request: DelegationRequest, setWaiting: (waitingOn: WaitingOn | undefined) => void): Promise<ToolOutcome> {
        const chain = this.ledger.delegationChain(running.task);
        for (const { agent } of request.parts) {
            const other = this.runtimes.get(agent);
            if (!other) {
                return { content: `There is no agent "${agent}"; agents: ${this.runtimes.ids().join(', ')}.`, isError: true };
            }
            if (chain.includes(agent)) {
                return { content: `Delegating to ${other.definition.name} would make it wait for itself (delegation chain: ${chain.join(' -> ')}); do this part yourself.`, isError: true };
            }
        }
        const subs = request.parts.map(({ agent, prompt }) => ({
            name: this.runtimes.require(agent).definition.name,
            task: this.queue.enqueue(agent, { prompt, priority: request.priority, parentTaskId: running.task.id, fromAgentId: running.task.agentId }),
        }));
        const names = subs.map(sub => `${sub.name} (task ${sub.task.id})`).join(subs.length > 2 ? ', ' : ' and ');
        setWaiting({
            kind: 'reply', taskId: subs[0].task.id, agentId: subs[0].task.agentId,
            message: subs.length === 1 ? `waiting for ${subs[0].name} to finish task ${subs[0].task.id}`
                : `waiting for ${request.wait === 'first' ? 'the first of' : 'all of'} ${names} to finish`,
        });
        const cancelUnfinished = (reason: string) => subs.forEach(sub => {
            const current = this.ledger.get(sub.task.id);
            if (current && (current.status === 'queued' || current.status === 'running')) {
                this.queue.cancel(sub.task.id, reason);
            }
        });
        const line = (sub: typeof subs[number], done: TaskInfo) => done.status === 'done'
            ? `${sub.name} finished task ${sub.task.id}: ${done.result?.summary ?? ''}`
            : `${sub.name}'s task ${sub.task.id} ${done.status}: ${done.result?.error ?? done.lastError ?? ''}`;
        try {
            if (request.wait === 'first') {
                const first = await this.firstDone(subs.map(sub => sub.task.id), running.controller.signal);
                cancelUnfinished(`task ${running.task.id} took another agent's result, which came first`);
                const winner = first && subs.find(sub => sub.task.id === first.id)!;
                return winner
                    ? { content: line(winner, first) }
                    : { content: `None of ${names} finished: ${subs.map(sub => line(sub, this.ledger.require(sub.task.id))).join('; ')}`, isError: true };
            }
            const ended = await Promise.all(subs.map(sub => this.ledger.waitFor(sub.task.id, running.controller.signal)));
            return { content: subs.map((sub, i) => line(sub, ended[i])).join('\n'), isError: ended.some(done => done.status !== 'done') || undefined };
        } catch (error) {
            // The delegating task was cancelled or checkpointed: its sub-tasks are no longer wanted.
            cancelUnfinished(`the delegating task ${running.task.id} stopped`);
            return { content: (error as Error).message, isError: true };
        } finally {
            setWaiting(undefined);
        }
    }

    /** The first of the tasks to end done; undefined when all end otherwise. */
    protected firstDone(taskIds: readonly number[], signal: AbortSignal): Promise<TaskInfo | undefined> {
        return new Promise((resolve, reject) => {
            let left = taskIds.length;
            for (const taskId of taskIds) {
                this.ledger.waitFor(taskId, signal).then(done => {
                    if (done.status === 'done') {
                        resolve(done);
                    } else if (--left === 0) {
                        resolve(undefined);
                    }
                }, reject);
            }
        });
    }
}
