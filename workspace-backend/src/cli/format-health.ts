import { WorkspaceHealth } from '../health/workspace-health';

/** Health as aligned text for a terminal: one line for the whole, one per part. */
export function formatHealth(health: WorkspaceHealth): string {
    const width = Math.max(...health.components.map(c => c.label.length), 0);
    const lines = [
        `CODITECT workspace core ${health.version}: ${health.status}`,
        `  workspace  ${health.workspaceDir}`,
        `  data       ${health.dataDir}`,
        '',
        ...health.components.map(c => `  ${c.status.padEnd(8)} ${c.label.padEnd(width)}  ${c.detail}`),
    ];
    return `${lines.join('\n')}\n`;
}
