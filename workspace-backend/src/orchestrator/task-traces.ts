import type { Disposable, Event } from '../common/emitter';
import type { ToolCall } from '../providers/model-provider';
import {
    currentTraceContext, endSpan, recordSpan, runInContext, Span, SpanAttribute, startSpan, TraceContext, withSpanContext,
} from '../telemetry/tracing';
import type { OrchestratorEvent, ProviderCall } from './orchestrator-types';
import type { TaskInfo } from './task-repository';

/**
 * Each task's trace span, from its queuing to its end, with its work as children: the wait in
 * the queue, every model request (timed in the agent process, recorded here), every tool call (run
 * inside its span, so the locks it waits for and the writes it makes are its children). A task is
 * a child of whatever was active when it was queued: a chat message, or the delegating task's tool.
 *
 * Only in memory: a task the backend recovers after a restart starts a new trace when it starts.
 */
export class TaskTraces implements Disposable {
    protected readonly open = new Map<number, { readonly span: Span; readonly context: TraceContext }>();
    protected readonly subscriptions: Disposable[];

    constructor(events: Event<OrchestratorEvent>, providerCalls: Event<ProviderCall>) {
        this.subscriptions = [
            events(event => event.type === 'task' && this.taskChanged(event.change, event.task)),
            providerCalls(call => this.providerCall(call)),
        ];
    }

    /** Runs one tool call of the task inside its own span (no span when the task has none). */
    inTool<T>(taskId: number, call: ToolCall, run: () => Promise<T>, failed: (result: T) => string | undefined): Promise<T> {
        const task = this.open.get(taskId);
        if (!task) {
            return run();
        }
        const span = startSpan(`tool ${call.name}`, { [SpanAttribute.tool]: call.name, [SpanAttribute.taskId]: taskId, ...pathOf(call) }, { parent: task.context });
        return runInContext(withSpanContext(span, task.context), run).then(result => {
            endSpan(span, failed(result));
            return result;
        }, error => {
            endSpan(span, error);
            throw error;
        });
    }

    dispose(): void {
        this.subscriptions.forEach(s => s.dispose());
        for (const { span } of this.open.values()) {
            endSpan(span, 'the orchestrator stopped');
        }
        this.open.clear();
    }

    protected taskChanged(change: string, task: TaskInfo): void {
        switch (change) {
            case 'queued':
                this.begin(task, currentTraceContext());
                return;
            case 'started': {
                const open = this.open.get(task.id) ?? this.begin(task, currentTraceContext());
                open.span.setAttribute(SpanAttribute.taskAttempts, task.attempts);
                if (task.startedAt !== undefined && task.attempts <= 1) {
                    recordSpan('task.queue-wait', open.context, task.enqueuedAt, task.startedAt, { [SpanAttribute.agent]: task.agentId });
                }
                return;
            }
            case 'retrying':
                this.open.get(task.id)?.span.addEvent('retrying', { [SpanAttribute.taskAttempts]: task.attempts });
                return;
            case 'done':
            case 'failed':
            case 'cancelled': {
                const open = this.open.get(task.id);
                if (open) {
                    this.open.delete(task.id);
                    open.span.setAttribute(SpanAttribute.taskOutcome, change);
                    endSpan(open.span, change === 'done' ? undefined : task.result?.error ?? change);
                }
                return;
            }
        }
    }

    protected begin(task: TaskInfo, parent: TraceContext): { readonly span: Span; readonly context: TraceContext } {
        const span = startSpan('task', {
            [SpanAttribute.agent]: task.agentId, [SpanAttribute.taskId]: task.id, [SpanAttribute.taskPriority]: task.priority,
            ...(task.parentTaskId !== undefined ? { [SpanAttribute.taskParentId]: task.parentTaskId } : {}),
        }, { parent, startTime: task.enqueuedAt });
        const open = { span, context: withSpanContext(span, parent) };
        this.open.set(task.id, open);
        return open;
    }

    protected providerCall(call: ProviderCall): void {
        const task = this.open.get(call.taskId);
        if (task) {
            recordSpan('provider.request', task.context, call.startedAt, call.startedAt + call.durationMs,
                { 'gen_ai.system': call.vendor, 'gen_ai.request.model': call.model, [SpanAttribute.agent]: call.agentId }, call.error);
        }
    }
}

/** The workspace path a tool call names, if any (a path is no secret; its content never goes in a span). */
function pathOf(call: ToolCall): Record<string, string> {
    const target = call.arguments.path;
    return typeof target === 'string' ? { [SpanAttribute.path]: target } : {};
}
