import { TaskInfo } from '../common/orchestrator-protocol';

/** How agents and tasks read in both views. */
export namespace AgentLabels {
    export const time = (epochMs: number | undefined) => epochMs === undefined ? '' : new Date(epochMs).toLocaleTimeString();

    export function duration(ms: number): string {
        if (ms < 1000) {
            return `${Math.round(ms)} ms`;
        }
        const s = ms / 1000;
        return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
    }

    export const tokens = (n: number) => n.toLocaleString('en-US');

    export function shorten(text: string, max = 80): string {
        const line = text.replace(/\s+/g, ' ').trim();
        return line.length > max ? `${line.slice(0, max - 1)}…` : line;
    }

    /** The first sentence of a message (the rest says where else to fix it: the tooltip keeps it whole). */
    export function firstSentence(text: string): string {
        const end = text.search(/\.(\s|$)/);
        return end < 0 ? text : text.slice(0, end + 1);
    }

    export function taskOutcome(task: TaskInfo): string {
        return task.result?.summary ?? task.result?.error ?? task.lastError ?? '';
    }
}
