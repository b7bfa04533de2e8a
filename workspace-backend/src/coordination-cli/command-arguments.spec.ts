import * as assert from 'node:assert/strict';
import { CliError, ExitCode } from '../cli/cli-command';
import { agentId, lockPath, parseDuration, wholeNumberOption, wordsText } from './command-arguments';

/** Asserts `body` throws a CliError with exit code 2 whose message matches `message`. */
function assertUsageError(body: () => unknown, message: RegExp): void {
    assert.throws(body, (error: unknown) => {
        assert.ok(error instanceof CliError, `a CliError, not ${String(error)}`);
        assert.equal(error.exitCode, ExitCode.usage);
        assert.match(error.message, message);
        return true;
    });
}

describe('coditect command arguments', () => {
    describe('durations', () => {
        it('reads seconds, minutes, hours and plain milliseconds', () => {
            assert.equal(parseDuration('30s', 'wait'), 30_000);
            assert.equal(parseDuration('5m', 'wait'), 300_000);
            assert.equal(parseDuration('2h', 'ttl'), 7_200_000);
            assert.equal(parseDuration('1500', 'ttl'), 1500);
        });

        it('refuses anything else, naming the option and what it got', () => {
            for (const text of ['5x', '1.5m', '-3s', 'm', '', '5 minutes']) {
                assertUsageError(() => parseDuration(text, 'ttl'), new RegExp(`^--ttl must be a duration such as 30s, 5m, 2h or a number of milliseconds; got "${text}"\\.$`));
            }
        });

        it('takes 0 only where it means "at once" (a wait), never for a lease', () => {
            assert.equal(parseDuration('0', 'wait', true), 0);
            assertUsageError(() => parseDuration('0s', 'ttl'), /^--ttl must be a duration longer than 0/);
        });
    });

    describe('agents', () => {
        it('takes @claude, claude and agent:claude as the same agent', () => {
            assert.deepEqual(['@claude', 'claude', 'agent:claude'].map(text => agentId(text, 'x')), ['claude', 'claude', 'claude']);
        });

        it('says how to name an agent when none is named, or the name is empty', () => {
            assertUsageError(() => agentId(undefined, 'coditect task @claude Fix it'), /^Name the agent: coditect task @claude Fix it\.$/);
            assertUsageError(() => agentId('@', 'coditect task @claude Fix it'), /^"@" is not an agent's id; name it like this: coditect task @claude Fix it\.$/);
        });
    });

    it('joins the words of a text, and says what is missing when there are none', () => {
        assert.equal(wordsText(['Write', 'the', 'notes'], 'what the task is', 'x'), 'Write the notes');
        assertUsageError(() => wordsText([], 'what the task is', 'coditect task @claude Write the notes'), /^Say what the task is: coditect task @claude Write the notes\.$/);
    });

    it('reads a priority as a whole number, negative too', () => {
        assert.equal(wholeNumberOption({ priority: '-2' }, 'priority'), -2);
        assert.equal(wholeNumberOption({}, 'priority'), undefined);
        assertUsageError(() => wholeNumberOption({ priority: 'high' }, 'priority'), /^--priority must be a whole number \(higher goes first\); got "high"\.$/);
    });

    it('keeps lock paths workspace-relative as the API does, and "." as the whole workspace', () => {
        assert.equal(lockPath('./src/a.ts'), 'src/a.ts');
        assert.equal(lockPath('src/lib/'), 'src/lib');
        assert.equal(lockPath('.'), '');
        assertUsageError(() => lockPath('/etc/passwd'), /relative to the workspace folder/);
    });
});
