import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DemoVendors, startDemoVendors } from '@coditect/workspace-backend';
import { studioAppDir } from './repo-paths';
import { launchStudio, StudioProcess } from './studio-process';

export interface DemoStudioOptions {
    /** A copy of test/fixtures/demo-workspace: the recorded vendors point its agents at themselves. */
    readonly workspaceDir: string;
    readonly logName: string;
    /** How long each recorded turn takes: slow enough for a test to watch the agents at work. */
    readonly turnDelayMs: number;
    /** The recorded vendors answer only once this settles, so a test sees the agents at work first. */
    readonly holdUntil?: Promise<unknown>;
    /** Replaces each vendor's demo key (a test that plants its own keys). */
    readonly keys?: (variable: string) => string;
    /** Shows the studio as a demo (status bar, health). On by default, as `npm run demo` does. */
    readonly demoMode?: boolean;
    readonly env?: NodeJS.ProcessEnv;
}

export interface DemoStudio {
    readonly studio: StudioProcess;
    readonly vendors: DemoVendors;
    /** The keys the studio was started with, by variable. */
    readonly keys: Readonly<Record<string, string>>;
    /** Stops the studio, then the vendors; once (a second call waits for the first). */
    stop(): Promise<void>;
}

/**
 * The demo as `npm run demo` sets it up: the recorded vendors on loopback (reached through the real
 * SDKs) start first, then a studio whose agents each get one recorded task.
 */
export async function launchDemoStudio(options: DemoStudioOptions): Promise<DemoStudio> {
    const vendors = await startDemoVendors(options.workspaceDir, { turnDelayMs: options.turnDelayMs, holdUntil: options.holdUntil });
    try {
        const keys = Object.fromEntries(Object.entries(vendors.env).map(([variable, key]) => [variable, options.keys?.(variable) ?? key]));
        const tasksFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'demo-tasks-')), 'tasks.json');
        fs.writeFileSync(tasksFile, JSON.stringify(vendors.tasks));
        const studio = await launchStudio({
            appDir: studioAppDir, workspaceDir: options.workspaceDir, logName: options.logName,
            env: { ...keys, ...(options.demoMode === false ? {} : { STUDIO_DEMO: '1' }), STUDIO_DEMO_TASKS: tasksFile, ...options.env },
        });
        let stopped: Promise<void> | undefined;
        return {
            studio, vendors, keys,
            stop: () => stopped ??= studio.stop().then(() => vendors.stop()),
        };
    } catch (error) {
        await vendors.stop();
        throw error;
    }
}
