import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * Runs `body` in a fresh Node process with the registry loaded as `registry` and a stand-in factory
 * as `factory`: the registry is module state, so each case needs a process of its own.
 */
function inFreshProcess(body: string): { status: number | null; stdout: string; stderr: string } {
    const registry = JSON.stringify(path.join(__dirname, 'provider-factory-override.js'));
    const script = `const registry = require(${registry});
const factory = { check() {}, spec() { return { module: 'none', exportName: 'none' }; } };
${body}`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr };
}

describe('the provider factory override (core/provider-factory-override.ts)', () => {
    it('is empty unless code in the process installs one, and once the host has read it an install is refused', () => {
        const run = inFreshProcess(`
console.log(registry.takeProviderFactoryOverride() === undefined ? 'empty' : 'filled');
try { registry.installProviderFactoryOverride({ factory, installedBy: 'late code' }); console.log('installed'); } catch (e) { console.log(e.message); }
console.log(registry.takeProviderFactoryOverride() === undefined ? 'empty' : 'filled');`);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.stdout.split('\n'), [
            'empty',
            'late code installed a provider factory after the workspace core was created; install it before (from a `node --require` preload).',
            'empty',
        ]);
    });

    it('gives the host what was installed before it read it, and refuses a second install', () => {
        const run = inFreshProcess(`
registry.installProviderFactoryOverride({ factory, installedBy: 'a preload' });
try { registry.installProviderFactoryOverride({ factory: { ...factory }, installedBy: 'another preload' }); } catch (e) { console.log(e.message); }
const taken = registry.takeProviderFactoryOverride();
console.log(taken.factory === factory ? taken.installedBy : 'another factory');`);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.stdout.split('\n'), [
            'another preload installed a provider factory, but a preload already did; install one only.',
            'a preload',
        ]);
    });
});
