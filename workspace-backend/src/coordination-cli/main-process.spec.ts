import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ExitCode } from '../cli/cli-command';
import { missingEnvironmentMessage } from './studio-environment';
import { busMessage } from './test-support/api-fixtures';
import { FakeStudio } from './test-support/fake-studio';

const cli = path.join(__dirname, 'main.js');

/** This process's environment without the studio's variables (the spec may itself run in a studio terminal). */
function environmentWithoutStudio(): NodeJS.ProcessEnv {
    const { CODITECT_API_URL: _url, CODITECT_TOKEN: _token, ...env } = process.env;
    return env;
}

describe('coditect as a process', () => {
    it('exits 2 and says where the studio\'s variables come from when they are not set', () => {
        const result = spawnSync(process.execPath, [cli, 'whoami'], { encoding: 'utf8', env: environmentWithoutStudio() });
        assert.equal(result.status, ExitCode.usage);
        assert.equal(result.stderr, `${missingEnvironmentMessage}\n`);
        assert.match(result.stderr, /^coditect talks to the studio it runs in: CODITECT_API_URL and CODITECT_TOKEN are set in every terminal the studio opens\. Open a terminal in the studio \(Terminal > New Terminal\)/);
        assert.equal(result.stdout, '');
    });

    it('ends a subscription cleanly on Ctrl+C (SIGINT): exit 0, nothing on stderr', async () => {
        const studio = new FakeStudio().answer('GET', '/coditect/api/bus/messages',
            { status: 200, body: { messages: [] } }, { status: 200, body: { messages: [busMessage({ id: 1, text: 'hello' })] } }, { status: 200, body: { messages: [] } });
        const url = await studio.start();
        try {
            const child = spawn(process.execPath, [cli, 'bus', 'subscribe', 'reviews', '--from-now'],
                { env: { ...environmentWithoutStudio(), CODITECT_API_URL: url, CODITECT_TOKEN: 'tok' } });
            let stdout = '';
            let stderr = '';
            child.stdout.on('data', chunk => stdout += chunk);
            child.stderr.on('data', chunk => stderr += chunk);
            const exited = new Promise<number | null>(resolve => child.on('close', code => resolve(code)));
            // The first request and two polls: it is following the topic, and has printed the one message.
            await studio.received(3);
            child.kill('SIGINT');
            assert.equal(await exited, ExitCode.ok, stderr);
            assert.equal(stderr, '');
            assert.match(stdout, /^#1 \d\d:\d\d:\d\d gemini -> reviews: hello\n$/);
        } finally {
            await studio.close();
        }
    });
});
