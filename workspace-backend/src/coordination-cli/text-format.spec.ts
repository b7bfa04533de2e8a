import * as assert from 'node:assert/strict';
import { formatBusMessage, formatSent } from './bus-message-text';
import { formatChangeSet } from './changes-command';
import { formatLocked } from './lock-command';
import { formatLocks } from './locks-command';
import { formatQueued } from './task-command';
import { formatTasks } from './tasks-command';
import { ada, busMessage, changeSet, lockInfo, taskInfo, tenFortyTwo, workflowRun } from './test-support/api-fixtures';
import { durationText, shortened } from './text-format';
import { formatWhoAmI } from './whoami-command';
import { formatStarted, formatWorkflows } from './workflow-command';

describe('coditect text answers', () => {
    it('says who the terminal acts as, and how it is signed in', () => {
        assert.equal(formatWhoAmI(ada), 'Ada (user:ada), admin, signed in through this terminal');
        assert.equal(formatWhoAmI({ id: 'agent:bot', displayName: 'Bot', kind: 'agent', via: 'agent-token' }), 'Bot (agent:bot), agent, signed in with an agent token');
    });

    it('reads spans to their two largest units', () => {
        assert.deepEqual([250_000, 45_000, 7_500_000, 0, 90_061_000].map(durationText), ['4m 10s', '45s', '2h 5m', '0s', '1d 1h']);
    });

    it('shortens a title to its first line and about 70 characters', () => {
        assert.equal(shortened('Line one\nline two'), 'Line one');
        const long = shortened('word '.repeat(30));
        assert.ok(long.length <= 70 && long.endsWith('…'), long);
    });

    describe('locks', () => {
        it('lists each lock with its mode, owner and expiry, the whole workspace as (workspace)', () => {
            const locks = [lockInfo({ expiresAt: tenFortyTwo + 250_000 }), lockInfo({ id: 'lk_2', path: '', mode: 'shared', owner: { id: 'user:ada', kind: 'human', displayName: 'Ada' }, expiresAt: tenFortyTwo - 1 })];
            assert.deepEqual(formatLocks({ locks, waiters: [] }, tenFortyTwo), [
                'src/a.ts     exclusive  Gemini (agent:gemini)  expires in 4m 10s',
                '(workspace)  shared     Ada (user:ada)         expired',
            ]);
        });

        it('says when there are none', () => {
            assert.deepEqual(formatLocks({ locks: [], waiters: [] }, tenFortyTwo), ['No locks.']);
        });

        it('shows who waits for a lock and a change made outside it', () => {
            const lock = lockInfo({ expiresAt: tenFortyTwo + 60_000, changedOutside: { at: tenFortyTwo, by: 'git', path: 'src/a.ts' } });
            const waiter = { requestId: 'rq', path: 'src/a.ts', mode: 'exclusive', owner: { id: 'agent:claude', kind: 'agent', displayName: 'Claude' }, priority: 0, enqueuedAt: tenFortyTwo, deadline: tenFortyTwo + 20_000, blockedBy: [lock] } as const;
            assert.deepEqual(formatLocks({ locks: [lock], waiters: [waiter] }, tenFortyTwo), [
                'src/a.ts  exclusive  Gemini (agent:gemini)  expires in 1m, changed by git at 10:42:13',
                'src/a.ts  exclusive  Claude (agent:claude)  waiting, gives up in 20s',
            ]);
        });

        it('says until when a new lock holds and how to unlock it, quoting a path the shell would split', () => {
            assert.equal(formatLocked(lockInfo()), 'Locked src/a.ts (exclusive) until 10:42:13; unlock it with: coditect unlock src/a.ts');
            assert.equal(formatLocked(lockInfo({ path: 'my notes.md', mode: 'shared' })), 'Locked my notes.md (shared) until 10:42:13; unlock it with: coditect unlock \'my notes.md\'');
            assert.match(formatLocked(lockInfo({ path: '' })), /^Locked \(workspace\) .*coditect unlock \.$/);
        });
    });

    it('lists tasks in aligned columns, titles shortened', () => {
        const tasks = [taskInfo(), taskInfo({ id: 9, agentId: 'gemini', status: 'queued', title: `Review ${'x'.repeat(100)}` })];
        const lines = formatTasks(tasks);
        assert.equal(lines[0], '#12  claude  running  Write the notes');
        assert.match(lines[1], /^#9 {3}gemini {2}queued {3}Review x+…$/);
        assert.ok(lines[1].length < 100);
        assert.deepEqual(formatTasks([]), ['No tasks.']);
        assert.equal(formatQueued(taskInfo()), 'Queued task #12 for claude.');
    });

    describe('messages', () => {
        it('says to whom a message went', () => {
            assert.equal(formatSent(busMessage({ id: 5, topic: 'agent/gemini', to: 'gemini', recipients: ['gemini'] })), 'Sent message #5 to gemini.');
            assert.equal(formatSent(busMessage({ id: 6, recipients: ['claude', 'gemini'] })), 'Published #6 on reviews to claude, gemini.');
            assert.equal(formatSent(busMessage({ id: 6, recipients: [] })), 'Published #6 on reviews to no agent (nobody subscribes to reviews).');
        });

        it('prints a message as it arrives, each on its own #line', () => {
            assert.equal(formatBusMessage(busMessage()), '#7 10:42:13 gemini -> reviews: Looks good');
            assert.equal(formatBusMessage(busMessage({ to: 'claude', text: 'a\nb' })), '#7 10:42:13 gemini -> claude: a\n    b');
        });
    });

    it('sums up a change set', () => {
        assert.equal(formatChangeSet(changeSet()), '#12 claude "Write notes" 3 file(s) +10 -2 pending');
        const waiting = changeSet({ apply: 'waiting', overlapsWith: [10, 11], commits: [{ sha: 'abc', subject: 's', authorName: 'a', at: 1 }] });
        assert.equal(formatChangeSet(waiting), '#12 claude "Write notes" 3 file(s) +10 -2 pending, waiting for review (not in the workspace yet), 1 commit(s), overlaps #10, #11');
        const lead = { ...changeSet(), files: [], added: 0, removed: 0, tree: { subtaskIds: [13, 14], files: 2, added: 7, removed: 1, review: 'accepted' as const } };
        assert.equal(formatChangeSet(lead), '#12 claude "Write notes" 0 file(s) +0 -0 pending, with 2 sub-task(s) #13, #14: 2 file(s) +7 -1 accepted in all');
        assert.equal(formatChangeSet({ ...changeSet(), parentTaskId: 9 }), '#12 claude "Write notes" 3 file(s) +10 -2 pending, delegated from #9');
    });

    it('lists workflows and their runs, and says which steps a started run takes', () => {
        const workflows = [
            { name: 'code-review', description: 'Codex implements a change, Claude reviews it', file: '.coditect/workflows/code-review.md', steps: [] },
            { name: 'testing', description: 'Gemini writes tests', file: '.coditect/workflows/testing.md', steps: [] },
        ];
        const problems: string[] = [];
        assert.deepEqual(formatWorkflows({ workflows, problems, runs: [] }), ['code-review  Codex implements a change, Claude reviews it', 'testing      Gemini writes tests']);
        assert.deepEqual(formatWorkflows({ workflows, problems, runs: [workflowRun()] }).slice(2), ['', 'Runs:', '#3  code-review  running  started 10:42:13 by user:ada']);
        assert.match(formatWorkflows({ workflows: [], problems, runs: [] })[0], /^No workflows/);
        assert.deepEqual(formatWorkflows({ workflows, problems: ['.coditect/workflows/bad.md: step 2 names no agent.'], runs: [] }).slice(2),
            ['', 'Cannot run:', '  .coditect/workflows/bad.md: step 2 names no agent.']);
        assert.equal(formatStarted(workflowRun()), 'Started code-review run #3: implement (codex) → review (claude) + tests (gemini) → approve (claude).');
    });
});
