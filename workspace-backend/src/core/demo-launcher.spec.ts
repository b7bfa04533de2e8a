import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DemoEdits, editedContent } from '../providers/testing/fixtures/demo-edits';

const launcher = path.resolve(__dirname, '../../../scripts/demo/run-demo.js');

describe('npm run demo (scripts/demo/run-demo.js --headless)', function () {
    // The limits only stop a hung run: the demo's work is fixed, and a CI machine building an image beside the
    // tests has taken over 25 s to do it.
    this.timeout(180_000);

    it('starts the recorded vendors, copies the sample project, and all four agents finish their demo task', () => {
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-launcher-'));
        try {
            const run = spawnSync(process.execPath, [launcher, '--headless', '--turn-delay', '0', '--timeout', '120000'], { env: { ...process.env, STUDIO_STATE_DIR: stateDir }, encoding: 'utf8', timeout: 150_000 });
            assert.equal(run.status, 0, `the launcher failed${run.signal ? ` (killed by ${run.signal} after 150 s)` : ''}:\n${run.stderr}`);
            const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { workspace: string; results: { agentId: string; status: string; tokens: number }[]; failures: string[] };
            assert.equal(summary.workspace, path.join(stateDir, 'demo', 'workspace'));
            assert.deepEqual(summary.results.map(r => [r.agentId, r.status]), Object.values(DemoEdits).map(e => [e.agentId, 'done']));
            assert.ok(summary.results.every(r => r.tokens > 0));
            assert.deepEqual(summary.failures, []);
            for (const edit of Object.values(DemoEdits)) {
                assert.equal(fs.readFileSync(path.join(summary.workspace, edit.path), 'utf8'), editedContent(edit));
            }
            assert.match(run.stderr, /Demo mode: agents replay recorded conversations; no vendor is called/);
        } finally {
            fs.rmSync(stateDir, { recursive: true, force: true });
        }
    });
});
