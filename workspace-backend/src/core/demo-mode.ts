import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChatConversations } from '../chat/chat-conversations';
import type { ComponentHealth } from '../health/workspace-health';

/** `STUDIO_DEMO=1`: the agents talk to local fixture servers (scripts/demo/), never to a vendor. */
export function isDemoMode(env: NodeJS.ProcessEnv = process.env): boolean {
    return env.STUDIO_DEMO === '1';
}

/** The `demo` health component the status bar shows, or undefined outside demo mode. */
export function demoHealth(env: NodeJS.ProcessEnv = process.env): ComponentHealth | undefined {
    return isDemoMode(env)
        ? { id: 'demo', label: 'Demo', status: 'ok', detail: 'Demo mode: agents replay recorded conversations; no vendor is called' }
        : undefined;
}

/** Written to the data directory once the demo's tasks are submitted, so a restart on the same data does not submit them again. */
export const DemoTasksMarker = 'demo-tasks-submitted';

/**
 * When `STUDIO_DEMO_TASKS` names a JSON file of `{ "<agentId>": "<prompt>" }`, sends each prompt
 * to its agent as a chat message from "Demo" (so the chat view shows the conversations), once
 * per data directory. Returns the conversations started. Throws, saying what to fix, for a
 * file that is not such an object.
 */
export function submitDemoTasks(chat: ChatConversations, dataDir: string, env: NodeJS.ProcessEnv = process.env): { agentId: string; conversationId: string; taskId: number }[] {
    const file = env.STUDIO_DEMO_TASKS?.trim();
    const marker = path.join(dataDir, DemoTasksMarker);
    if (!file || fs.existsSync(marker)) {
        return [];
    }
    let tasks: unknown;
    try {
        tasks = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
        throw new Error(`STUDIO_DEMO_TASKS=${file} could not be read as JSON (${(error as Error).message}); point it at a file like {"claude": "prompt"} or unset it.`, { cause: error });
    }
    if (typeof tasks !== 'object' || tasks === null || Array.isArray(tasks) || Object.values(tasks).some(p => typeof p !== 'string')) {
        throw new Error(`STUDIO_DEMO_TASKS=${file} must hold one JSON object mapping agent ids to prompts, like {"claude": "prompt"}.`);
    }
    fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
    return Object.entries(tasks as Record<string, string>).map(([agentId, prompt]) => {
        const sent = chat.send(agentId, undefined, prompt, { id: 'demo', displayName: 'Demo' });
        return { agentId, conversationId: sent.conversationId, taskId: sent.task.id };
    });
}
