import type { ProviderFactory } from '../orchestrator/provider-factory';

/**
 * The injection point for embedding the workspace core with other models than the vendors': a
 * process that hosts the core may install a ProviderFactory here before the core is created, and
 * the host (the Theia backend's WorkspaceCoreHost) gives it to the core it creates. The studio's
 * browser tests use it to run scripted agents in a real backend, from a `node --require` preload
 * that is test code (test/src/lib/scripted-agents-preload.ts).
 *
 * Invariants:
 * - Inert by default, and never filled from configuration: nothing reads the environment, a file,
 *   a flag or a request to fill it, and no product code calls `installProviderFactoryOverride`. Only
 *   code already running in the process can, so nothing in a production start (`npm start`, the
 *   demo, the image's entrypoint) can turn scripted agents on from its settings. (NODE_OPTIONS=--require
 *   runs code, it is no setting; and the image does not even ship the scripted agents:
 *   docker/build/assemble-runtime.sh drops every test-support folder.)
 * - Installed before the core exists, or never: the host's `takeProviderFactoryOverride()` seals it,
 *   and an install after that throws, so a running studio's agents are never swapped under it.
 */
export interface ProviderFactoryOverride {
    readonly factory: ProviderFactory;
    /** Who installed it, for the host's log line (e.g. "the browser tests' scripted-agents preload"). */
    readonly installedBy: string;
}

let installed: ProviderFactoryOverride | undefined;
let sealed = false;

/** Installs the factory the hosted core's agents will use. Throws once one is installed, or once the host has read it. */
export function installProviderFactoryOverride(override: ProviderFactoryOverride): void {
    if (sealed) {
        throw new Error(`${override.installedBy} installed a provider factory after the workspace core was created; install it before (from a \`node --require\` preload).`);
    }
    if (installed) {
        throw new Error(`${override.installedBy} installed a provider factory, but ${installed.installedBy} already did; install one only.`);
    }
    installed = override;
}

/** For the host, once, as it creates the core: the installed override (usually none), sealing the registry. */
export function takeProviderFactoryOverride(): ProviderFactoryOverride | undefined {
    sealed = true;
    return installed;
}
