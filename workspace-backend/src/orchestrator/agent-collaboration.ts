import type { AgentRuntime, RunningTask } from './agent-runtime';
import type { AgentRuntimes } from './agent-runtimes';
import type { WaitingOn } from './agent-state';
import type { MessageBus } from './message-bus';
import type { TaskLedger } from './task-ledger';
import type { TaskQueue } from './task-queue';
import type { ToolContext, ToolOutcome } from './tool-executor';

/**
 * How agents reach each other: direct messages (kept in the recipient's inbox until its next
 * turn), topics on the message bus, and `delegate`, a sub-task on another agent that the
 * delegating task waits for.
 *
 * Invariant: a delegation that would wait on itself, directly or through the chain of tasks that
 * delegated it, is refused, so delegated tasks never wait for each other in a circle.
 */
export class AgentCollaboration {
    constructor(
        protected readonly runtimes: AgentRuntimes,
        protected readonly ledger: TaskLedger,
        protected readonly queue: TaskQueue,
        protected readonly bus: MessageBus,
    ) { }

    /** A direct message to a known agent (from the user or another agent): read on its next turn. */
    sendDirect(from: string, to: string, text: string): void {
        this.runtimes.require(to);
        this.bus.send(from, to, text);
    }

    /** The agent's unread direct messages, taken, as its next turn reads them. */
    takeInbox(agentId: string): string[] {
        return this.bus.drainInbox(agentId).map(m => `from ${m.from}: ${m.text}`);
    }

    /** What the running task's tools may ask of the other agents; `setWaiting` shows the agent waiting while it delegates. */
    toolsFor(runtime: AgentRuntime, running: RunningTask, setWaiting: (waitingOn: WaitingOn | undefined) => void): Pick<ToolContext, 'sendMessage' | 'delegate'> {
        const agentId = runtime.definition.id;
        return {
            sendMessage: (to, text) => {
                if (to.agentId) {
                    this.sendDirect(agentId, to.agentId, text);
                    return `Sent to ${to.agentId}.`;
                }
                if (to.topic) {
                    this.bus.publish(to.topic, agentId, text);
                    return `Published on ${to.topic}.`;
                }
                throw new Error('send_message needs "to" (an agent id) or "topic".');
            },
            delegate: (target, prompt, priority) => this.delegate(running, target, prompt, priority, setWaiting),
        };
    }

    /** `delegate`: a sub-task on another agent, awaited; refused when it would wait on itself (directly or through the chain). */
    protected async delegate(running: RunningTask, target: string, prompt: string, priority: number, setWaiting: (waitingOn: WaitingOn | undefined) => void): Promise<ToolOutcome> {
        const other = this.runtimes.get(target);
        if (!other) {
            return { content: `There is no agent "${target}"; agents: ${this.runtimes.ids().join(', ')}.`, isError: true };
        }
        const chain = this.ledger.delegationChain(running.task);
        if (chain.includes(target)) {
            return { content: `Delegating to ${other.definition.name} would make it wait for itself (delegation chain: ${chain.join(' -> ')}); do this part yourself.`, isError: true };
        }
        const sub = this.queue.enqueue(target, { prompt, priority, parentTaskId: running.task.id, fromAgentId: running.task.agentId });
        setWaiting({ kind: 'reply', taskId: sub.id, agentId: target, message: `waiting for ${other.definition.name} to finish task ${sub.id}` });
        try {
            const done = await this.ledger.waitFor(sub.id, running.controller.signal);
            return done.status === 'done'
                ? { content: `${other.definition.name} finished task ${sub.id}: ${done.result?.summary ?? ''}` }
                : { content: `${other.definition.name}'s task ${sub.id} ${done.status}: ${done.result?.error ?? done.lastError ?? ''}`, isError: true };
        } catch (error) {
            // The delegating task was cancelled or checkpointed: its sub-task is no longer wanted.
            const current = this.ledger.get(sub.id);
            if (current && (current.status === 'queued' || current.status === 'running')) {
                this.queue.cancel(sub.id, `the delegating task ${running.task.id} stopped`);
            }
            return { content: (error as Error).message, isError: true };
        } finally {
            setWaiting(undefined);
        }
    }
}
