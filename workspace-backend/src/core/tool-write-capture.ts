import type { ChangeSets } from '../changes/change-sets';
import type { WorkspaceJournal } from '../changes/workspace-journal';
import type { FileEditEvent } from '../orchestrator/orchestrator-types';
import { logFor } from '../telemetry/logger';

/**
 * What the studio does, inside an agent's tool write, to keep it: the workspace journal notes the
 * new content (unless the write went to the agent's overlay: no workspace file changed), and the
 * task's change set records it. Each failure is logged, never thrown: the write itself landed.
 * The `changes` benchmark measures this same function.
 */
export function captureToolWrite(sinks: { readonly changes?: ChangeSets; readonly journal?: Pick<WorkspaceJournal, 'wrote'> }, edit: FileEditEvent, title: string): void {
    try {
        if (!edit.overlay) {
            sinks.journal?.wrote(edit.path, edit.after, { by: `${edit.by} (agent tool)`, taskId: edit.taskId }, edit.at);
        }
    } catch (error) {
        logFor('checkpoints').error(`noting ${edit.path} in the journal failed: ${(error as Error).message}`);
    }
    if (edit.taskId === undefined || !sinks.changes) {
        return;
    }
    try {
        sinks.changes.record({ taskId: edit.taskId, agentId: edit.agentId, title, path: edit.path, before: edit.before, after: edit.after, origin: 'tool', at: edit.at });
    } catch (error) {
        // Only its record is missing, which the change set cannot show.
        logFor('changes').error(`recording task #${edit.taskId}'s change of ${edit.path} failed: ${(error as Error).message}`);
    }
}
