import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HooksFile, parseHookSettings, WorkspaceHooks } from './workspace-hooks';

describe('workspace hooks (.coditect/settings.json)', () => {
    it('reads Claude Code\'s shape: events, tool matchers (a pattern over the whole name, * or none for all), commands and time limits', () => {
        const settings = parseHookSettings(JSON.stringify({
            hooks: {
                PreToolUse: [{ matcher: 'run_command', hooks: [{ type: 'command', command: 'check' }] }],
                PostToolUse: [{ matcher: 'edit_file|write_file', hooks: [{ type: 'command', command: 'lint', timeout: 5 }] }, { hooks: [{ type: 'command', command: 'log' }] }],
                Stop: [{ hooks: [{ type: 'command', command: 'npm test' }] }],
            },
        }));
        assert.deepEqual(settings.PostToolUse[0].hooks, [{ command: 'lint', timeoutMs: 5000 }]);
        assert.ok(settings.PostToolUse[0].matcher!.test('write_file'));
        assert.ok(!settings.PostToolUse[0].matcher!.test('write_files'), 'the whole name');
        assert.equal(settings.PostToolUse[1].matcher, undefined);
        assert.deepEqual(settings.Stop[0].hooks, [{ command: 'npm test', timeoutMs: 60_000 }]);
        assert.deepEqual(parseHookSettings('{"review": {}}'), { PreToolUse: [], PostToolUse: [], Stop: [] }, 'other settings, no hooks');
    });

    it('says what is wrong with a file it cannot use', () => {
        const cases: [string, RegExp][] = [
            ['{', /is not valid JSON/],
            ['{"hooks": {"AfterEdit": []}}', /"hooks.AfterEdit" .* is not an event; the events are PreToolUse, PostToolUse, Stop/],
            ['{"hooks": {"Stop": [{"hooks": [{"type": "command"}]}]}}', /"hooks.Stop\[0\].hooks\[0\]" .* must be \{ "type": "command", "command": "…" \}/],
            ['{"hooks": {"PreToolUse": [{"matcher": "(", "hooks": [{"type": "command", "command": "x"}]}]}}', /matcher" .* is not a valid pattern/],
            ['{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "x", "timeout": 9999}]}]}}', /must be a number of seconds, at most 600/],
        ];
        for (const [text, message] of cases) {
            assert.throws(() => parseHookSettings(text), message, text);
        }
    });

    it('follows the file as it changes; a broken file runs no hook and says why', () => {
        const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'hooks-'));
        try {
            const hooks = new WorkspaceHooks(ws);
            assert.deepEqual(hooks.hooksFor('Stop'), { hooks: [], problem: undefined });
            fs.mkdirSync(path.join(ws, '.coditect'));
            fs.writeFileSync(path.join(ws, HooksFile), JSON.stringify({ hooks: { PostToolUse: [{ matcher: 'edit_file', hooks: [{ type: 'command', command: 'lint' }] }] } }));
            assert.deepEqual(hooks.hooksFor('PostToolUse', 'edit_file').hooks.map(h => h.command), ['lint']);
            assert.deepEqual(hooks.hooksFor('PostToolUse', 'read_file').hooks, []);
            fs.writeFileSync(path.join(ws, HooksFile), '{ "hooks": ');
            const broken = hooks.hooksFor('PostToolUse', 'edit_file');
            assert.deepEqual(broken.hooks, []);
            assert.match(broken.problem ?? '', /not valid JSON.*No hook runs until it is fixed/);
        } finally {
            fs.rmSync(ws, { recursive: true, force: true });
        }
    });
});
