import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scriptedProviderFactory, ScriptedTurnSpec } from '../../orchestrator/test-support/scripted-provider-factory';
import type { TimelineEvent } from '../../timeline/timeline-types';
import { setReplicaUrl } from '../../common/test-support/replica-setting';
import { WorkspaceCore } from '../workspace-core';

/** One scripted model turn that calls one tool. */
export const toolCall = (name: string, args: Record<string, unknown>): ScriptedTurnSpec => ({ toolCalls: [{ name, arguments: args }], usage: { inputTokens: 10, outputTokens: 5 } });

/**
 * A started workspace core for a suite, over a fresh temporary workspace and data folder, whose
 * agents run `turns` (each task of every agent: the scripted provider's turns) in real agent
 * processes; replication off. Started before the suite's tests, stopped and removed after them.
 */
export class ScriptedCore {
    root = '';
    ws = '';
    protected started: WorkspaceCore | undefined;

    /** Registers the mocha hooks; call it in a `describe`. `prepare` fills the workspace before the start. */
    static perSuite(prefix: string, turns: () => ScriptedTurnSpec[], prepare?: (ws: string) => void): ScriptedCore {
        const suite = new ScriptedCore();
        let restoreReplica = (): void => undefined;
        before(async () => {
            restoreReplica = setReplicaUrl('off');
            suite.root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
            suite.ws = path.join(suite.root, 'ws');
            fs.mkdirSync(suite.ws);
            prepare?.(suite.ws);
            suite.started = new WorkspaceCore({ workspaceDir: suite.ws, dataDir: path.join(suite.root, 'data') }, {
                orchestrator: { providerFactory: scriptedProviderFactory(turns), restartBackoff: { initialMs: 50, maxMs: 200 } },
            });
            await suite.started.start();
        });
        after(async () => {
            await suite.started?.stop();
            restoreReplica();
            fs.rmSync(suite.root, { recursive: true, force: true });
        });
        return suite;
    }

    get core(): WorkspaceCore {
        if (!this.started) {
            throw new Error('the scripted core has not started (is ScriptedCore.perSuite called inside a describe?)');
        }
        return this.started;
    }

    /** Every event of the run's timeline session so far, flushed first. */
    timelineEvents(): TimelineEvent[] {
        const timeline = this.core.timeline;
        timeline.flush();
        return timeline.page(timeline.currentSessionId!, {}, 0, 5000).events.map(e => timeline.event(e.seq));
    }
}
