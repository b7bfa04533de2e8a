import { WorkflowRunInfo, WorkflowRunStep } from '../common/orchestrator-protocol';

/** How workflow runs read in the Task Queue, the palette and the messages. */
export namespace WorkflowLabels {
    /** A codicon per step status. */
    export const stepIcon: Readonly<Record<WorkflowRunStep['status'], string>> = {
        waiting: 'circle-large-outline', queued: 'clock', running: 'sync', done: 'pass', failed: 'error', cancelled: 'circle-slash',
    };

    export function runTitle(run: Pick<WorkflowRunInfo, 'name' | 'id' | 'input'>): string {
        return `${run.name} #${run.id}${run.input ? ` · ${run.input}` : ''}`;
    }

    /** "2 of 4 steps done". */
    export function progress(run: WorkflowRunInfo): string {
        return `${run.steps.filter(s => s.status === 'done').length} of ${run.steps.length} steps done`;
    }
}
