import { context, propagation, trace } from '@opentelemetry/api';

/** A started tracing SDK: flush what is buffered (before an exit or a test's check), and stop. */
export interface TracingHandle {
    flush(): Promise<void>;
    shutdown(): Promise<void>;
}

/**
 * Tracing is off unless an OTLP endpoint is configured (the standard variables
 * OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), and OTEL_SDK_DISABLED turns it off.
 */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
    return tracesUrl(env) !== undefined && env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== 'true';
}

/** Where spans go, as OpenTelemetry's specification derives it: the traces endpoint as given, or `/v1/traces` under the general one. */
function tracesUrl(env: NodeJS.ProcessEnv): string | undefined {
    const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
    const general = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
    return traces || (general ? `${general.replace(/\/+$/, '')}/v1/traces` : undefined);
}

/**
 * Starts OpenTelemetry's Node SDK with OTLP/HTTP export of the studio's spans (tracing.ts), when
 * configured; undefined otherwise. Spans go to the endpoint `env` names, as OTLP/HTTP JSON (what
 * a Collector's otlp receiver takes on 4318); headers and timeouts come from the standard
 * OTEL_EXPORTER_OTLP_* variables of the process. No automatic instrumentation: the spans are the studio's own, so a
 * trace reads as the work (chat message, task, model request, tool, lock, write), not as sockets.
 * The SDK is loaded only here, so a process without tracing never loads it.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): TracingHandle | undefined {
    if (!tracingConfigured(env)) {
        return undefined;
    }
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const sdk = new NodeSDK({ serviceName, traceExporter: new OTLPTraceExporter({ url: tracesUrl(env) }), instrumentations: [] });
    sdk.start();
    const provider = (): { forceFlush?: () => Promise<void> } => {
        const registered = trace.getTracerProvider() as { getDelegate?: () => unknown };
        return (registered.getDelegate?.() ?? registered) as { forceFlush?: () => Promise<void> };
    };
    return {
        flush: async () => provider().forceFlush?.(),
        shutdown: async () => {
            await sdk.shutdown();
            // The API's globals go too, so a later start (a test's) registers afresh.
            trace.disable();
            context.disable();
            propagation.disable();
        },
    };
}
