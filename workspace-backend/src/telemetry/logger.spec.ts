import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createStudioLogger, logEventOf, maskInLogs } from './logger';

/** The logger writing into an array of parsed lines. */
function capture(): { lines: Record<string, unknown>[]; log: ReturnType<typeof createStudioLogger> } {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
            chunk.toString('utf8').split('\n').filter(Boolean).forEach(line => lines.push(JSON.parse(line)));
            done();
        },
    });
    return { lines, log: createStudioLogger({ destination }) };
}

describe('The core\'s log', () => {
    const savedEnv = { ...process.env };
    afterEach(() => {
        process.env = { ...savedEnv };
    });

    it('writes one JSON object per line: time, level name, component, message and fields', () => {
        const { lines, log } = capture();
        log.child({ component: 'changes' }).warn({ taskId: 12 }, 'recording the change failed');
        assert.equal(lines.length, 1);
        const [line] = lines;
        assert.equal(line.level, 'warn');
        assert.equal(line.component, 'changes');
        assert.equal(line.service, 'coditect-studio');
        assert.equal(line.msg, 'recording the change failed');
        assert.equal(line.taskId, 12);
        assert.ok(!Number.isNaN(Date.parse(String(line.time))), `ISO time: ${line.time}`);
        assert.equal(line.trace_id, undefined, 'no trace outside one');
    });

    it('carries the trace and span ids of the active span', () => {
        const manager = new AsyncLocalStorageContextManager().enable();
        context.setGlobalContextManager(manager);
        try {
            const { lines, log } = capture();
            const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
            context.with(trace.setSpanContext(context.active(), spanContext), () => log.info('inside a trace'));
            log.info('outside');
            assert.equal(lines[0].trace_id, spanContext.traceId);
            assert.equal(lines[0].span_id, spanContext.spanId);
            assert.equal(lines[1].trace_id, undefined);
        } finally {
            context.disable();
        }
    });

    it('never writes a secret: the environment\'s, one an owner adds, or anything shaped like a key, in messages, fields and errors', () => {
        process.env.ANTHROPIC_API_KEY = 'an-env-secret-value-123';
        const added = maskInLogs(() => ['a-key-set-in-the-studio-456']);
        try {
            const { lines, log } = capture();
            log.error({ err: new Error('call failed with an-env-secret-value-123'), header: 'Bearer abcdefghijklmnop', nested: { key: 'a-key-set-in-the-studio-456' } },
                'request with sk-ant-api03-abcdefghijklmnop failed');
            const text = JSON.stringify(lines);
            for (const secret of ['an-env-secret-value-123', 'a-key-set-in-the-studio-456', 'abcdefghijklmnop', 'sk-ant-api03']) {
                assert.ok(!text.includes(secret), `${secret} is masked: ${text}`);
            }
            assert.match(String(lines[0].msg), /request with \*\*\* failed/);
            assert.match(JSON.stringify(lines[0].err), /call failed with \*\*\*/);
        } finally {
            added.dispose();
        }
    });
});

describe('logEventOf', () => {
    it('finds the first whole JSON line with the event, whatever else the output holds', () => {
        const output = 'plain text\n{"level":"info","msg":"starting"}\n{"event":"serving","url":"http://127.0.0.1:4000"}\n{"event":"serving","url":"http://later"}\n{"event":"serv';
        assert.equal(logEventOf(output, 'serving')?.url, 'http://127.0.0.1:4000');
        assert.equal(logEventOf(output, 'stopped'), undefined);
        assert.equal(logEventOf('{"event":"serving","url":"http://127.0.0.1', 'serving'), undefined, 'a line not yet whole is not read');
    });
});
