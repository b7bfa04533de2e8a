import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LockManager } from '../locks/lock-manager';
import type { WorkspacePaths } from '../policy/workspace-paths';
import type { AgentDefinition } from './agent-definition';
import type { GuardedFileWriter } from './guarded-file-writer';
import { readSkills, skillsContext } from './workspace-skills';
import { logFor } from '../telemetry/logger';

const skipped = new Set(['.git', 'node_modules', '.coditect']);

/** The top of the workspace's file tree, breadth first, at most `limit` entries. */
function treeSummary(root: string, limit: number): string[] {
    const out: string[] = [];
    const queue = [''];
    while (queue.length && out.length < limit) {
        const folder = queue.shift()!;
        let entries: fs.Dirent[];
        try {
            entries = fs.readdirSync(path.join(root, folder), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
        } catch {
            continue;
        }
        for (const entry of entries) {
            if (skipped.has(entry.name) || out.length >= limit) {
                continue;
            }
            const relative = folder ? `${folder}/${entry.name}` : entry.name;
            out.push(entry.isDirectory() ? `${relative}/` : relative);
            if (entry.isDirectory()) {
                queue.push(relative);
            }
        }
    }
    return out;
}

/** What an agent that applies `after-review` is told, so it does not count on its commands seeing its edits. */
const AfterReviewNote = 'Your file edits (write_file, edit_file) do not reach the workspace yet: they wait in your own overlay until a person '
    + 'accepts this task\'s change set, and then land all at once. Your read_file, list_files and search see them; other agents do not. '
    + 'Commands you run (run_command) see the workspace without them: do not rely on a build or a test run to check files you edited in this task.';

/**
 * The shared view every agent gets in its system prompt at the start of a task: the file tree,
 * the open locks (who holds what), recent changes by the others, what the others are doing, and
 * the workspace's skills (those the task's prompt calls for in full).
 */
export function workspaceContext(input: {
    agent: AgentDefinition; locks: LockManager; writer: GuardedFileWriter; paths: WorkspacePaths;
    others: readonly { name: string; state: string; task?: string }[];
    /** The task's prompt, which picks the skills given in full. */
    prompt?: string;
}): string {
    const tree = treeSummary(input.paths.root, 150);
    const locks = input.locks.list().map(l => `- ${l.path || '/'} (${l.mode}) held by ${l.owner.displayName}`);
    const changes = input.writer.recentChanges().filter(c => c.by !== input.agent.name).slice(-15)
        .map(c => `- ${c.path} by ${c.by} at ${new Date(c.at).toISOString()}`);
    const others = input.others.map(o => `- ${o.name}: ${o.state}${o.task ? ` (${o.task})` : ''}`);
    const { skills, problems } = readSkills(input.paths.root);
    problems.forEach(problem => logFor('skills').warn(`${problem} The skill is left out until it is fixed.`));
    return [
        ...(input.agent.apply === 'after-review' ? ['## Your edits wait for review', AfterReviewNote] : []),
        '## Workspace',
        tree.length ? tree.join('\n') : '(empty)',
        '## Open locks', locks.length ? locks.join('\n') : '(none)',
        '## Recent changes by other agents', changes.length ? changes.join('\n') : '(none)',
        '## Other agents', others.length ? others.join('\n') : '(none)',
        ...skillsContext(skills, input.prompt ?? ''),
    ].join('\n');
}
