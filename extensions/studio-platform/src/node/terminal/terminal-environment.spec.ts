import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TerminalEnv } from '../../common/terminal-session-protocol';
import { CliLauncher, writeCliLauncher } from './cli-launcher';
import { terminalEnvironment } from './terminal-environment';

/**
 * Real shells, started as Theia starts a terminal's (a login shell, interactive), with a profile
 * that sets PATH outright the way Debian's /etc/profile does.
 */
describe('a studio terminal\'s environment keeps the coditect CLI on PATH', () => {
    let home: string;
    let launcher: CliLauncher;

    before(() => {
        home = fs.mkdtempSync(path.join(os.tmpdir(), 'terminal-env-'));
        fs.writeFileSync(path.join(home, '.profile'), 'PATH=/usr/bin:/bin\nexport PATH\n');
        fs.writeFileSync(path.join(home, '.bash_profile'), 'PATH=/usr/bin:/bin\nexport PATH\n');
        launcher = writeCliLauncher(path.join(home, 'data', 'bin'));
    });

    after(() => fs.rmSync(home, { recursive: true, force: true }));

    /** Runs `script` in `shell -l -i` with the terminal's environment and returns what it printed. */
    function runInTerminal(shell: string, script: string, env: Record<string, string | null>): string {
        const clean = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== null));
        const result = spawnSync(shell, ['-l', '-i'], { input: `${script}\nexit\n`, env: { ...clean, HOME: home }, encoding: 'utf8', timeout: 20_000 });
        assert.equal(result.error, undefined, `${shell} did not run: ${result.error}`);
        return result.stdout;
    }

    for (const shell of ['/bin/bash', '/bin/sh']) {
        it(`in ${shell}, after a profile that sets PATH, \`coditect\` is the studio's launcher and the token is set`, () => {
            const env = terminalEnvironment({ launcher, token: 'cdt_term_x', apiUrl: 'http://127.0.0.1:1', options: {}, processEnv: { PATH: '/usr/bin:/bin' } });
            const printed = runInTerminal(shell, 'command -v coditect; echo "token=$CODITECT_TOKEN url=$CODITECT_API_URL"', env);
            assert.match(printed, new RegExp(`^${path.join(launcher.folder, 'coditect')}$`, 'm'));
            assert.match(printed, /^token=cdt_term_x url=http:\/\/127\.0\.0\.1:1$/m);
        });
    }

    it('in sh, the ENV file the environment had still runs', () => {
        const previous = path.join(home, 'previous-env.sh');
        fs.writeFileSync(previous, 'GREETING=from-previous-env\n');
        const env = terminalEnvironment({ launcher, token: 't', options: {}, processEnv: { PATH: '/usr/bin:/bin', ENV: previous } });
        const printed = runInTerminal('/bin/sh', 'echo "greeting=$GREETING"; command -v coditect', env);
        assert.match(printed, /^greeting=from-previous-env$/m);
        assert.match(printed, new RegExp(`^${path.join(launcher.folder, 'coditect')}$`, 'm'));
    });

    it('in bash, the PROMPT_COMMAND the terminal was opened with still runs', () => {
        const marker = path.join(home, 'prompt-ran');
        const env = terminalEnvironment({ launcher, token: 't', options: { env: { PROMPT_COMMAND: `touch ${marker}` } }, processEnv: { PATH: '/usr/bin:/bin' } });
        runInTerminal('/bin/bash', 'true', env);
        assert.ok(fs.existsSync(marker), 'the earlier PROMPT_COMMAND did not run');
    });

    it('a strict environment is the caller\'s: the backend\'s PATH is not added, the folder is', () => {
        const env = terminalEnvironment({ launcher, token: 't', options: { strictEnv: true, env: { PATH: '/opt/tools' } }, processEnv: { PATH: '/backend/only' } });
        assert.equal(env.PATH, `${launcher.folder}:/opt/tools`);
        assert.equal(env[TerminalEnv.apiUrl], undefined);
        const bare = terminalEnvironment({ launcher, token: 't', options: { strictEnv: true }, processEnv: { PATH: '/backend/only', ENV: '/backend/env.sh' } });
        assert.equal(bare.PATH, launcher.folder);
        assert.equal(bare.CODITECT_PREVIOUS_ENV, undefined);
    });
});
