import * as assert from 'node:assert/strict';
import { ExitCode } from '../cli/cli-command';
import { main, usage } from './main';
import { missingEnvironmentMessage } from './studio-environment';
import { captureOutput } from './test-support/capture-output';

/**
 * The command line alone: every case here runs without a studio (no environment at all), so each mistake
 * must be found before coditect needs one; a run that got as far as the studio would print the environment message.
 */
const run = (...argv: string[]) => captureOutput(() => main(argv, {}));

describe('coditect command line', () => {
    it('prints the usage, with every command and both environment variables, for help and --help', async () => {
        for (const argv of [['help'], ['--help'], ['-h']]) {
            const result = await run(...argv);
            assert.equal(result.code, ExitCode.ok);
            assert.equal(result.stdout, usage);
        }
        for (const command of ['whoami', 'locks', 'lock', 'unlock', 'tasks', 'task', 'send', 'bus', 'changes', 'workflow']) {
            assert.match(usage, new RegExp(`^ {2}${command} +\\S`, 'm'), command);
        }
        assert.match(usage, /CODITECT_API_URL/);
        assert.match(usage, /CODITECT_TOKEN/);
    });

    it('prints the usage with exit 2 when given nothing', async () => {
        const result = await run();
        assert.equal(result.code, ExitCode.usage);
        assert.equal(result.stdout, usage);
    });

    it('prints a command\'s help with --help or help <command>', async () => {
        const viaOption = await run('lock', '--help');
        assert.equal(viaOption.code, ExitCode.ok);
        assert.match(viaOption.stdout, /^Usage: coditect lock <path> \[--shared\] \[--wait <duration>\] \[--ttl <duration>\]/);
        assert.equal((await run('help', 'lock')).stdout, viaOption.stdout);
    });

    it('refuses an unknown command or option with the usage and exit 2', async () => {
        const command = await run('frobnicate');
        assert.equal(command.code, ExitCode.usage);
        assert.match(command.stderr, /^Unknown command "frobnicate"\.\n\ncoditect: coordinate/);
        const leading = await run('--verbose');
        assert.match(leading.stderr, /^Unknown option "--verbose"\./);
        const option = await run('locks', '--all');
        assert.equal(option.code, ExitCode.usage);
        assert.match(option.stderr, /^coditect locks: Unknown option '--all'.*\n\nUsage: coditect locks/s);
    });

    it('refuses arguments a command does not take', async () => {
        const result = await run('whoami', 'extra');
        assert.equal(result.code, ExitCode.usage);
        assert.match(result.stderr, /^coditect whoami: Unexpected argument 'extra'/);
    });

    const mistakes: [string[], RegExp][] = [
        [['lock'], /^coditect lock: Name the file or folder to lock: coditect lock src\/a\.ts\.\n$/],
        [['lock', 'src/a.ts', '--wait', 'soon'], /^coditect lock: --wait must be a duration such as 30s, 5m, 2h or a number of milliseconds; got "soon"\.\n$/],
        [['lock', 'src/a.ts', '--ttl', '10d'], /^coditect lock: --ttl must be a duration .*got "10d"\.\n$/],
        [['lock', 'a', 'b'], /^coditect lock: lock a takes no more arguments; got "b"\.\n$/],
        [['unlock'], /^coditect unlock: Name the path \(or lock id\) to unlock/],
        [['task'], /^coditect task: Name the agent: coditect task @claude Write the release notes\.\n$/],
        [['task', '@claude'], /^coditect task: Say what the task is: coditect task @claude Write the release notes\.\n$/],
        [['task', '@claude', 'go', '--priority', 'high'], /^coditect task: --priority must be a whole number/],
        [['tasks', '--limit', '0'], /^coditect tasks: --limit must be a positive whole number; got "0"\.\n$/],
        [['send'], /^coditect send: Name the agent: coditect send @gemini Please review src\/a\.ts\.\n$/],
        [['send', '@gemini'], /^coditect send: Say what to send:/],
        [['send', '--topic', 'reviews'], /^coditect send: Say what to publish:/],
        [['bus'], /^coditect bus: Say what to do: coditect bus publish\|subscribe/],
        [['bus', 'listen'], /^coditect bus: Unknown bus command "listen"; use publish or subscribe\.\n$/],
        [['bus', 'publish', 'build/*', 'hi'], /^coditect bus publish: Publish on one topic, not "build\/\*"/],
        [['bus', 'publish', 'reviews', 'hi', '--count', '2'], /^coditect bus publish: --count is not an option of bus publish\.\n$/],
        [['bus', 'subscribe'], /^coditect bus subscribe: Name the topic to follow/],
        [['bus', 'subscribe', 'reviews', '--count', 'two'], /^coditect bus subscribe: --count must be a positive whole number; got "two"\.\n$/],
        [['workflow'], /^coditect workflow: Say what to do: coditect workflow list\|run/],
        [['workflow', 'run'], /^coditect workflow run: Name the workflow to run/],
        [['changes', '--agent', '@'], /^coditect changes: "@" is not an agent's id/],
    ];
    for (const [argv, message] of mistakes) {
        it(`refuses "coditect ${argv.join(' ')}" with exit 2 and says what was wrong`, async () => {
            const result = await run(...argv);
            assert.equal(result.code, ExitCode.usage);
            assert.match(result.stderr, message);
            assert.equal(result.stdout, '');
        });
    }

    it('asks for the studio\'s address and token, exit 2, once the command line is right', async () => {
        const result = await run('lock', 'src/a.ts', '--ttl', '5m');
        assert.equal(result.code, ExitCode.usage);
        assert.equal(result.stderr, `${missingEnvironmentMessage}\n`);
        const notAUrl = await captureOutput(() => main(['whoami'], { CODITECT_API_URL: 'localhost:3000', CODITECT_TOKEN: 't' }));
        assert.equal(notAUrl.code, ExitCode.usage);
        assert.match(notAUrl.stderr, /^CODITECT_API_URL is "localhost:3000", not the studio's address/);
        const badToken = await captureOutput(() => main(['whoami'], { CODITECT_API_URL: 'http://127.0.0.1:9', CODITECT_TOKEN: 'two wörds' }));
        assert.equal(badToken.code, ExitCode.usage);
        assert.match(badToken.stderr, /^CODITECT_TOKEN is not a token the studio issues/);
        assert.ok(!badToken.stderr.includes('wörds'), 'the token is never printed');
    });
});
