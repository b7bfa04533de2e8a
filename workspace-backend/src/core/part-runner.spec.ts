import * as assert from 'node:assert/strict';
import { AnyCorePart, StartedParts } from './core-part';
import { PartRunner } from './part-runner';

/** Parts for the spec: each is a name while it runs; `log` says what happened, in order. */
interface Parts {
    store: string;
    cache: string;
    api: string;
    audit: string;
    listener: string;
    optional: string;
}

type Part = AnyCorePart<Parts, string[]>;

function part(id: keyof Parts, needs: (keyof Parts)[], extra: Partial<Part> = {}): Part {
    return {
        id, label: `The ${id}`, needs,
        start: (log: string[]) => {
            log.push(`start ${id}`);
            return id;
        },
        stop: () => {
            log.push(`stop ${id}`);
        },
        health: (instance: string) => [{ id, label: `The ${id}`, status: 'ok', detail: `${instance} runs.` }],
        ...extra,
    } as Part;
}

let log: string[];

describe('PartRunner', () => {
    beforeEach(() => {
        log = [];
    });

    it('starts the parts in their order, and stops them in reverse but for a part that stops after another', async () => {
        const runner = new PartRunner<Parts, string[]>([
            part('store', []),
            part('cache', ['store']),
            part('api', ['store', 'cache']),
            part('listener', ['api'], { stopsAfter: ['api', 'cache'] }),
            part('audit', ['store']),
        ], log);
        await runner.start();
        assert.deepEqual(log, ['start store', 'start cache', 'start api', 'start listener', 'start audit']);
        log.length = 0;
        assert.deepEqual(await runner.stop(), []);
        assert.deepEqual(log, ['stop audit', 'stop api', 'stop cache', 'stop listener', 'stop store']);
        assert.equal(runner.get('api'), 'api', 'a stopped part stays reachable');
    });

    it('reports a part that throws as down and keeps serving the others; a part that needs it is down, naming it', async () => {
        const runner = new PartRunner<Parts, string[]>([
            part('store', []),
            part('cache', ['store'], { start: () => { throw new Error('disk full'); } }),
            part('api', ['cache']),
            part('listener', ['api']),
            part('audit', ['store']),
        ], log);
        await runner.start();
        assert.deepEqual(log, ['start store', 'start audit'], 'nothing that needs the failed part starts');
        assert.deepEqual(await runner.health(['store', 'cache', 'api', 'listener', 'audit']), [
            { id: 'store', label: 'The store', status: 'ok', detail: 'store runs.' },
            { id: 'cache', label: 'The cache', status: 'down', detail: 'The cache did not start: disk full' },
            { id: 'api', label: 'The api', status: 'down', detail: 'The api did not start: The cache did not start (disk full)' },
            { id: 'listener', label: 'The listener', status: 'down', detail: 'The listener did not start: The api did not start (The cache did not start (disk full))' },
            { id: 'audit', label: 'The audit', status: 'ok', detail: 'audit runs.' },
        ]);
        assert.equal(runner.get('audit'), 'audit');
        assert.throws(() => runner.get('api'), /^Error: The api did not start: The cache did not start \(disk full\)$/);
        assert.equal(runner.find('cache'), undefined);
        await runner.stop();
        assert.deepEqual(log, ['start store', 'start audit', 'stop audit', 'stop store'], 'only what started is stopped');
    });

    it('leaves a part off when its configuration turns it off, and what needs it off too: no health, no failure', async () => {
        const runner = new PartRunner<Parts, string[]>([
            part('store', []),
            part('optional', [], { start: () => undefined }),
            part('listener', ['optional']),
        ], log);
        await runner.start();
        assert.deepEqual(await runner.health(['store', 'optional', 'listener']), [{ id: 'store', label: 'The store', status: 'ok', detail: 'store runs.' }]);
        assert.throws(() => runner.get('listener'), /The listener is off/);
    });

    it('says a part is starting until it is up, once start() was called', async () => {
        let release!: () => void;
        const runner = new PartRunner<Parts, string[]>([
            part('store', [], { start: () => new Promise<string>(resolve => release = () => resolve('store')) }),
            part('api', ['store'], { startingDetail: 'Starting.' }),
        ], log);
        assert.deepEqual(await runner.health(['store', 'api']), [], 'nothing before start()');
        assert.throws(() => runner.get('api'), /The api: the workspace core has not started yet; await start\(\) before using it\./);
        const started = runner.start();
        assert.deepEqual(await runner.health(['store', 'api']), [{ id: 'api', label: 'The api', status: 'starting', detail: 'Starting.' }]);
        release();
        await started;
        assert.equal((await runner.health(['api']))[0].status, 'ok');
    });

    it('awaits every ready part before start() resolves, and reports one whose readiness fails as down, still stopping it', async () => {
        const runner = new PartRunner<Parts, string[]>([
            part('store', [], { ready: async () => { log.push('store ready'); } }),
            part('api', ['store'], { ready: async () => { throw new Error('no sandbox'); } }),
            part('audit', []),
        ], log);
        await runner.start();
        assert.deepEqual(log, ['start store', 'start api', 'start audit', 'store ready']);
        assert.equal((await runner.health(['api']))[0].detail, 'The api did not start: no sandbox');
        await runner.stop();
        assert.deepEqual(log.slice(4), ['stop audit', 'stop api', 'stop store']);
    });

    it('starts nothing more once stop() is called, and collects what the stops could not do', async () => {
        let release!: () => void;
        const runner = new PartRunner<Parts, string[]>([
            part('store', [], { stop: () => { throw new Error('close failed'); } }),
            part('cache', [], {
                start: () => new Promise<string>(resolve => release = () => resolve('cache')),
                stop: () => ['cache: 2 entries not written'], stopStep: 'flushing the cache',
            }),
            part('api', []),
        ], log);
        const started = runner.start();
        await new Promise(resolve => setImmediate(resolve));
        const stopped = runner.stop();
        release();
        await started;
        assert.deepEqual(await stopped, ['cache: 2 entries not written', 'stopping the store: close failed']);
        assert.throws(() => runner.get('api'), /has not started yet/);
        assert.equal(runner.stop(), stopped, 'one stop');
    });

    it('takes only a list of lines from a stop as unfinished work: a disposer\'s own result (a boolean, an object) is no problem', async () => {
        const runner = new PartRunner<Parts, string[]>([
            part('store', [], { stop: () => true as never }),
            part('cache', [], { stop: () => ({ disposed: true }) as never }),
            part('api', []),
        ], log);
        await runner.start();
        assert.deepEqual(await runner.stop(), []);
    });

    it('lets a part ask only for its needs, and refuses a list where a part comes before its need', async () => {
        const runner = new PartRunner<Parts, string[]>([
            part('store', []),
            part('api', [], { start: (_log: string[], parts: StartedParts<Parts>) => parts.get('store') }),
        ], log);
        await runner.start();
        assert.match((await runner.health(['api']))[0].detail, /The api did not start: The part "api" asked for "store", which is not among its needs/);
        assert.throws(() => new PartRunner<Parts, string[]>([part('api', ['store']), part('store', [])], log), /"api" is declared before "store"/);
        assert.throws(() => new PartRunner<Parts, string[]>([part('store', []), part('store', [])], log), /"store" is declared twice/);
    });
});
