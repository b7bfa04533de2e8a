import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseCluster } from '../database/database-cluster';
import { BusStore } from './bus-store';
import { BusMessageError, MessageBus } from './message-bus';
import { isTopicPattern, topicMatches } from './topic-pattern';

describe('MessageBus (agents.db)', () => {
    let root: string;
    let cluster: DatabaseCluster;
    let subscriptions: Record<string, string[]>;

    /** A bus on the data folder's agents.db: each call is a backend (re)start on the same files. */
    const open = () => new MessageBus(new BusStore(cluster.get('agents')),
        topic => Object.entries(subscriptions).filter(([, patterns]) => patterns.some(p => topicMatches(p, topic))).map(([agent]) => agent), () => 1000);

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'message-bus-'));
        cluster = new DatabaseCluster({ dataDir: root }).open();
        subscriptions = { claude: ['reviews'], gemini: ['reviews', 'build/*'], kimi: ['*'] };
    });

    afterEach(async () => {
        await cluster.close();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('matches topics, prefixes and *, and refuses what is not a pattern', () => {
        assert.ok(topicMatches('reviews', 'reviews'));
        assert.ok(topicMatches('build/*', 'build/web'));
        assert.ok(!topicMatches('build/*', 'build'));
        assert.ok(topicMatches('*', 'agent/claude'));
        assert.ok(!topicMatches('reviews', 'reviews/src'));
        for (const good of ['reviews', 'build/*', '*', 'a.b_c-d/e']) {
            assert.ok(isTopicPattern(good), good);
        }
        for (const bad of ['', 'has space', 'build/**', '/lead', 'x'.repeat(129)]) {
            assert.ok(!isTopicPattern(bad), bad);
        }
    });

    it('delivers a topic to its subscribers but not the sender, and a direct message only to its recipient, each once', () => {
        const bus = open();
        const heard: string[] = [];
        bus.subscribe('*', m => heard.push(`${m.topic}:${m.recipients.join(',')}`));
        bus.subscribe('build/*', () => {
            throw new Error('a bad listener does not stop the others');
        });
        bus.publish('reviews', 'claude', 'please review a.ts');
        bus.publish('build/web', 'user:ada', 'the build is red');
        bus.send('kimi', 'codex', 'hello');
        assert.deepEqual(heard, ['reviews:gemini,kimi', 'build/web:gemini,kimi', 'agent/codex:codex']);
        assert.deepEqual(bus.deliver('gemini', 7).map(m => m.text), ['please review a.ts', 'the build is red']);
        assert.deepEqual(bus.deliver('gemini', 7), [], 'a message is handed to one turn');
        assert.deepEqual(bus.pending('claude'), [], 'the sender does not get its own message');
        assert.deepEqual(bus.deliver('codex').map(m => [m.from, m.to, m.text]), [['kimi', 'codex', 'hello']]);
    });

    it('keeps undelivered and unacknowledged messages through a restart; acknowledged ones are done', async () => {
        let bus = open();
        bus.publish('reviews', 'claude', 'one');
        bus.publish('reviews', 'claude', 'two');
        assert.equal(bus.deliver('gemini', 1).length, 2);
        bus.acknowledge('gemini', 1);
        bus.publish('reviews', 'claude', 'three');
        assert.equal(bus.deliver('gemini', 2).length, 1);
        // The backend dies with task 2's turn unfinished; kimi never read anything.
        await cluster.close();
        cluster = new DatabaseCluster({ dataDir: root }).open();
        bus = open();
        assert.equal(bus.recoverInterrupted(), 1);
        assert.deepEqual(bus.pending('gemini').map(m => m.text), ['three']);
        assert.deepEqual(bus.pending('kimi').map(m => m.text), ['one', 'two', 'three']);
        assert.deepEqual(bus.recent(2).map(m => m.text), ['two', 'three']);
    });

    it('gives a stopped task\'s messages back, and not an acknowledged one\'s', () => {
        const bus = open();
        bus.send('user:ada', 'claude', 'first');
        bus.deliver('claude', 5);
        bus.acknowledge('claude', 5);
        bus.send('user:ada', 'claude', 'second');
        bus.deliver('claude', 5);
        bus.redeliver('claude', 5);
        assert.deepEqual(bus.pending('claude').map(m => m.text), ['second']);
    });

    it('refuses a bad topic, an empty message and an oversized one with what to do, and keeps nothing of them', () => {
        const bus = open();
        assert.throws(() => bus.publish('has space', 'claude', 'x'), (e: Error) => e instanceof BusMessageError && /is not a topic: use letters/.test(e.message));
        assert.throws(() => bus.publish('reviews', 'claude', '  '), /The message is empty/);
        assert.throws(() => bus.publish('reviews', 'claude', 'x'.repeat(40_000)), /put the details in a file and send its path/);
        assert.deepEqual(bus.recent(), []);
    });
});
