import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as an OTLP/HTTP JSON export carries it, flattened: ids in hex, attributes as plain values. */
export interface ReceivedSpan {
    readonly traceId: string;
    readonly spanId: string;
    readonly parentSpanId?: string;
    readonly name: string;
    readonly serviceName?: string;
    readonly startMs: number;
    readonly endMs: number;
    readonly attributes: Readonly<Record<string, string | number | boolean>>;
    /** OTLP's status code: 0 unset, 1 ok, 2 error. */
    readonly statusCode: number;
}

interface OtlpValue { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number }
interface OtlpAttribute { key: string; value: OtlpValue }
interface OtlpSpan {
    traceId: string; spanId: string; parentSpanId?: string; name: string; startTimeUnixNano: string; endTimeUnixNano: string;
    attributes?: OtlpAttribute[]; status?: { code?: number };
}
interface OtlpExport { resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[] }

const plain = (value: OtlpValue): string | number | boolean =>
    value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue ?? NaN);
const attributesOf = (list: readonly OtlpAttribute[] = []): Record<string, string | number | boolean> =>
    Object.fromEntries(list.map(a => [a.key, plain(a.value)]));

/**
 * Test code: an OTLP/HTTP receiver speaking the protocol's JSON encoding (POST /v1/traces), as an
 * OpenTelemetry Collector's otlp receiver does, keeping what it is sent. No collector runs on these
 * machines; the exporter on the other side is OpenTelemetry's own.
 */
export class OtlpReceiver {
    readonly spans: ReceivedSpan[] = [];
    protected server: http.Server | undefined;

    async start(): Promise<string> {
        this.server = http.createServer((request, response) => {
            const chunks: Buffer[] = [];
            request.on('data', chunk => chunks.push(chunk));
            request.on('end', () => {
                if (request.method !== 'POST' || request.url !== '/v1/traces' || !(request.headers['content-type'] ?? '').startsWith('application/json')) {
                    response.writeHead(415, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'POST OTLP/JSON to /v1/traces' }));
                    return;
                }
                this.accept(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport);
                response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
            });
        });
        this.server.listen(0, '127.0.0.1');
        await new Promise(resolve => this.server!.once('listening', resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        await new Promise(resolve => this.server?.close(resolve) ?? resolve(undefined));
    }

    protected accept(body: OtlpExport): void {
        for (const resourceSpans of body.resourceSpans ?? []) {
            const serviceName = attributesOf(resourceSpans.resource?.attributes)['service.name'];
            for (const scope of resourceSpans.scopeSpans ?? []) {
                for (const span of scope.spans ?? []) {
                    this.spans.push({
                        traceId: span.traceId, spanId: span.spanId, ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}), name: span.name,
                        ...(typeof serviceName === 'string' ? { serviceName } : {}),
                        startMs: Number(BigInt(span.startTimeUnixNano) / 1_000_000n), endMs: Number(BigInt(span.endTimeUnixNano) / 1_000_000n),
                        attributes: attributesOf(span.attributes), statusCode: span.status?.code ?? 0,
                    });
                }
            }
        }
    }
}
