import { startTracing, TracingHandle } from '@coditect/workspace-backend';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { injectable } from '@theia/core/shared/inversify';

/**
 * OpenTelemetry tracing for this backend: started before the workspace core makes its first span
 * when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; docs/observability.md), off otherwise. Stopping flushes
 * the spans still buffered.
 */
@injectable()
export class TracingContribution implements BackendApplicationContribution {
    protected tracing: TracingHandle | undefined;

    initialize(): void {
        this.tracing = startTracing(process.env.OTEL_SERVICE_NAME?.trim() || 'coditect-studio');
        if (this.tracing) {
            console.log('[studio] tracing: spans are exported over OTLP/HTTP to the configured endpoint');
        }
    }

    onStop(): void {
        void this.tracing?.shutdown();
    }
}
