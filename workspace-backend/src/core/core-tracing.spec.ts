import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForValue } from '../common/test-support/wait-for-value';
import { OtlpReceiver, ReceivedSpan } from '../telemetry/test-support/otlp-receiver';
import { startTracing, TracingHandle } from '../telemetry/tracing-sdk';
import { call, finish, OrchestratorHarness as Harness } from './test-support/orchestrator-harness';
import { SpanAttribute } from '../telemetry/tracing';

const user = { id: 'u-ada', displayName: 'Ada' };

/** OpenTelemetry's SDK and OTLP exporter, as the studio starts them, sending to an OTLP/HTTP receiver. */
describe('A chat message, followed as one trace', function () {
    this.timeout(60_000);
    const receiver = new OtlpReceiver();
    let tracing: TracingHandle | undefined;
    let h: Harness;

    before(async () => {
        const url = await receiver.start();
        tracing = startTracing('coditect-studio-test', { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: url });
        assert.ok(tracing, 'configured by the endpoint');
    });
    after(async () => {
        await tracing?.shutdown();
        await receiver.stop();
    });
    beforeEach(() => {
        h = new Harness();
    });
    afterEach(async () => {
        await h.dispose();
    });

    it('is off without an endpoint, and on with one', () => {
        assert.equal(startTracing('x', {}), undefined);
        assert.equal(startTracing('x', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_SDK_DISABLED: 'true' }), undefined);
    });

    it('goes from the message through the agent\'s task, its model requests and tools, to the lock and the database writes under a tool', async () => {
        fs.mkdirSync(path.join(h.ws, 'src'));
        fs.writeFileSync(path.join(h.ws, 'src/a.ts'), 'export const a = 1;\n');
        await h.start();
        // A chat task's prompt carries the conversation; its first line is the harness's key.
        h.scripts.set('You are chatting with Ada in the studio\'s chat.', () => [
            call('edit_file', { path: 'src/a.ts', old_text: 'const a', new_text: 'const b' }), finish('renamed'),
        ]);
        const sent = h.core.chat.send('claude', undefined, 'rename a to b', user);
        const done = await h.done(sent.task);
        assert.equal(done.status, 'done', JSON.stringify(done));
        await tracing!.flush();

        const spans = await waitForValue('the trace exported', async () => {
            await tracing!.flush();
            const root = receiver.spans.find(s => s.name === 'chat.message');
            const trace = root ? receiver.spans.filter(s => s.traceId === root.traceId) : [];
            return trace.some(s => s.name === 'task' && s.endMs > 0) && trace.filter(s => s.name === 'provider.request').length === 2 ? trace : undefined;
        }, 20_000, 100);
        const named = (name: string): ReceivedSpan[] => spans.filter(s => s.name === name);
        const only = (name: string): ReceivedSpan => {
            assert.equal(named(name).length, 1, `one ${name} span: ${spans.map(s => s.name).join(', ')}`);
            return named(name)[0];
        };
        const root = only('chat.message');
        assert.equal(root.parentSpanId, undefined, 'the message is the trace\'s root');
        assert.equal(root.serviceName, 'coditect-studio-test');
        const task = only('task');
        assert.equal(task.parentSpanId, root.spanId);
        assert.equal(task.attributes[SpanAttribute.agent], 'claude');
        assert.equal(task.attributes[SpanAttribute.taskOutcome], 'done');
        assert.equal(only('task.queue-wait').parentSpanId, task.spanId);
        for (const request of named('provider.request')) {
            assert.equal(request.parentSpanId, task.spanId);
            assert.equal(request.attributes['gen_ai.request.model'], 'claude-sonnet-4-5');
            assert.ok(request.endMs >= request.startMs);
        }
        const tool = only('tool edit_file');
        assert.equal(tool.parentSpanId, task.spanId);
        assert.equal(tool.attributes[SpanAttribute.path], 'src/a.ts');
        const lock = named('lock.acquire').find(s => s.parentSpanId === tool.spanId);
        assert.ok(lock, `the edit's lock is a child of its tool: ${JSON.stringify(named('lock.acquire'))}`);
        assert.ok(spans.some(s => s.name === 'sqlite.write' && (s.parentSpanId === tool.spanId || s.parentSpanId === lock.spanId)), 'a write made for the edit is in the trace');
        // Nothing of the message's text or the file's content is in any span.
        const values = spans.flatMap(s => Object.values(s.attributes)).map(String);
        assert.ok(!values.some(v => v.includes('rename a to b') || v.includes('export const')), 'no prompt or content in attributes');
    });
});
