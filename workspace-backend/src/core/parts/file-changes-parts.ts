import { WorkspaceChangeWatcher } from '../../file-changes/workspace-change-watcher';
import type { CorePartOf } from '../core-context';
import { markLocksOnOutsideChanges, tellAgentsOfOutsideChanges } from '../file-change-wiring';
import { feedTimelineFrom } from './timeline-part';

/**
 * Who changes which workspace file (file-changes/): the writers the studio knows claim their
 * changes, the rest is told apart as agents' commands, git, or a terminal. Claims and commands
 * need it while anything may write: declared after the locks, before the agents. A watcher that
 * cannot start (too many inotify watches, say) is reported down and the studio runs without it.
 */
export const FileChangesPart: CorePartOf<'file-changes'> = {
    id: 'file-changes', label: 'File changes', needs: [], stopStep: 'stopping the workspace watcher',
    async start({ config, replicaFolder }, parts) {
        const folder = replicaFolder();
        const watcher = new WorkspaceChangeWatcher({ workspaceDir: config.workspaceDir, dataDir: config.dataDir, alsoIgnore: folder ? [folder] : [] });
        try {
            await watcher.start();
        } catch (error) {
            await watcher.stop().catch(() => undefined);
            throw error;
        }
        feedTimelineFrom(parts, { fileChanges: watcher });
        return watcher;
    },
    // After the agents (their last commands' changes), before the locks (marks) and the timeline (records).
    stop: watcher => watcher.stop(),
    health: watcher => [watcher.error
        ? { id: 'file-changes', label: 'File changes', status: 'degraded', detail: `${watcher.error}; changes made meanwhile may be missing from the timeline.` }
        : { id: 'file-changes', label: 'File changes', status: 'ok', detail: 'Every workspace file change is recorded in the timeline with who made it.' }],
};

/** Locks whose files someone else changed are marked; until after the watcher's stop, which flushes its last changes. */
export const OutsideChangeMarksPart: CorePartOf<'outside-change-marks'> = {
    id: 'outside-change-marks', label: 'Outside-change marks', needs: ['file-changes', 'locks'], stopsAfter: ['file-changes'],
    start: (_context, parts) => markLocksOnOutsideChanges(parts.get('file-changes'), parts.get('locks').manager),
    stop: marks => {
        marks.dispose();
    },
};

/** Agents hear of outside changes to what they lock; until after the watcher's stop, like the marks that tell them. */
export const OutsideChangeNoticesPart: CorePartOf<'outside-change-notices'> = {
    id: 'outside-change-notices', label: 'Outside-change notices', needs: ['locks', 'orchestrator'], stopsAfter: ['file-changes'],
    start: (_context, parts) => {
        const orchestrator = parts.get('orchestrator');
        return tellAgentsOfOutsideChanges(parts.get('locks').manager, orchestrator.bus, agentId => orchestrator.getAgent(agentId) !== undefined);
    },
    stop: notices => {
        notices.dispose();
    },
};
