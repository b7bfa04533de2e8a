import { Attributes, context, Context, Span, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * The studio's spans, through OpenTelemetry's API: without an SDK registered (tracing-sdk.ts, off
 * unless an OTLP endpoint is configured) every call here is a no-op costing a function call.
 *
 * One trace follows a chat message: `chat.message` → `task` (its queue wait, each
 * `provider.request`, each `tool <name>`) → inside a tool, `lock.acquire` and `sqlite.write`.
 * Attributes name agents, models, tools and workspace paths; never a prompt, a file's content
 * or a secret.
 */
const tracer = () => trace.getTracer('coditect-studio');

/** The studio's span attributes, by name (OpenTelemetry's own, `gen_ai.*` and `db.*`, are written where used). */
export const SpanAttribute = {
    agent: 'coditect.agent',
    taskId: 'coditect.task.id',
    taskPriority: 'coditect.task.priority',
    taskParentId: 'coditect.task.parent_id',
    taskAttempts: 'coditect.task.attempts',
    taskOutcome: 'coditect.task.outcome',
    tool: 'coditect.tool',
    path: 'coditect.path',
    lockMode: 'coditect.lock.mode',
    newConversation: 'coditect.chat.new_conversation',
} as const;

export type { Context as TraceContext, Span };

/** The context calls made now run in (the span a new span becomes a child of). */
export function currentTraceContext(): Context {
    return context.active();
}

/** True when a sampled span is active: the per-write spans are made only inside a trace. */
export function isTracing(ctx: Context = context.active()): boolean {
    return trace.getSpan(ctx)?.isRecording() ?? false;
}

/** A span started now (or at `startTime`, epoch ms), child of `parent` (the active context by default); the caller ends it. */
export function startSpan(name: string, attributes: Attributes = {}, options: { readonly parent?: Context; readonly startTime?: number } = {}): Span {
    return tracer().startSpan(name, { attributes, ...(options.startTime !== undefined ? { startTime: options.startTime } : {}) }, options.parent ?? context.active());
}

/** A span that already happened (start and end in epoch ms), child of `parent`: work timed elsewhere (an agent process's model request). */
export function recordSpan(name: string, parent: Context, startTime: number, endTime: number, attributes: Attributes = {}, error?: string): void {
    const span = tracer().startSpan(name, { attributes, startTime }, parent);
    if (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    }
    span.end(endTime);
}

/** The context with `span` active: what work inside the span runs in. */
export function withSpanContext(span: Span, parent: Context = context.active()): Context {
    return trace.setSpan(parent, span);
}

/** Runs `fn` with `ctx` active (its spans, and the logs' trace ids, belong there). */
export function runInContext<T>(ctx: Context, fn: () => T): T {
    return context.with(ctx, fn);
}

/** Ends `span` as failed with `error`'s message, or as ok. */
export function endSpan(span: Span, error?: unknown): void {
    if (error !== undefined) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    }
    span.end();
}

/** Runs `fn` inside a new active span, ended when `fn` returns or throws (a throw marks it failed). */
export function inSpan<T>(name: string, attributes: Attributes, fn: () => T): T {
    const span = startSpan(name, attributes);
    const ctx = trace.setSpan(context.active(), span);
    let result: T;
    try {
        result = context.with(ctx, fn);
    } catch (error) {
        endSpan(span, error);
        throw error;
    }
    if (result instanceof Promise) {
        return result.then(value => {
            endSpan(span);
            return value;
        }, error => {
            endSpan(span, error);
            throw error;
        }) as T;
    }
    endSpan(span);
    return result;
}

/** The active trace's ids, for a log line (undefined outside a trace). */
export function activeTraceIds(): { readonly trace_id: string; readonly span_id: string } | undefined {
    const spanContext = trace.getSpan(context.active())?.spanContext();
    return spanContext && trace.isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : undefined;
}

/**
 * `inSpan`, but only inside a trace: work that happens everywhere (a database write, a lock) is a
 * span when something traced asked for it, and costs nothing otherwise.
 */
export function inChildSpan<T>(name: string, attributes: Attributes, fn: () => T): T {
    return isTracing() ? inSpan(name, attributes, fn) : fn();
}
