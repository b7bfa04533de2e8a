import * as fs from 'node:fs';
import * as path from 'node:path';
import { serializeAgentDefinition } from '../orchestrator/agent-definition';
import { WorkspaceDefaultAgents } from '../orchestrator/role-agents';
import type { Vendor } from '../providers/model-provider';
import { FixtureServer, startFixtureServer } from '../providers/testing/fixture-server';
import { demoTasks } from '../providers/testing/fixtures/demo-edits';

export interface DemoVendors {
    readonly servers: Readonly<Record<Vendor, FixtureServer>>;
    /** The dummy keys the agents' definitions name; put them in the studio's environment. */
    readonly env: Readonly<Record<string, string>>;
    /** `{ agentId: prompt }`: what STUDIO_DEMO_TASKS should hold. */
    readonly tasks: Readonly<Record<string, string>>;
    /** Requests that did not match the recordings, by vendor (empty when every agent did as recorded). */
    failures(): string[];
    stop(): Promise<void>;
}

/** The key variable of a demo agent: never a vendor's real one, so a real key in the environment cannot reach a local server. */
export const demoKeyVariable = (vendor: Vendor): string => `DEMO_${vendor.toUpperCase()}_API_KEY`;

/**
 * Starts one fixture server per vendor on loopback, replaying `edit-conversation` (the demo's
 * recorded edits, fixtures/demo-edits.ts), and points the workspace's default agents (the four
 * vendor agents, which the demo's tasks go to, and the role agents) at their vendor's:
 * `.coditect/agents/<id>.json` with `baseUrl` and a demo key variable. One attempt per task: a
 * replay cannot be retried (the server has moved on to the next turn).
 */
export async function startDemoVendors(workspaceDir: string, options: { readonly turnDelayMs?: number; readonly holdUntil?: Promise<unknown> } = {}): Promise<DemoVendors> {
    const servers: Partial<Record<Vendor, FixtureServer>> = {};
    const env: Record<string, string> = {};
    try {
        for (const definition of WorkspaceDefaultAgents) {
            const server = servers[definition.vendor] ??= await startFixtureServer(definition.vendor, 'edit-conversation', { turnDelayMs: options.turnDelayMs, holdUntil: options.holdUntil });
            env[demoKeyVariable(definition.vendor)] = `demo-key-${definition.vendor}`;
            const file = path.join(workspaceDir, '.coditect', 'agents', `${definition.id}.json`);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, serializeAgentDefinition({
                ...definition, baseUrl: server.baseUrl, apiKeyVariable: demoKeyVariable(definition.vendor), limits: { ...definition.limits, maxAttempts: 1 },
            }));
        }
    } catch (error) {
        await Promise.all(Object.values(servers).map(s => s.stop()));
        throw error;
    }
    const all = servers as Record<Vendor, FixtureServer>;
    return {
        servers: all, env, tasks: demoTasks(),
        failures: () => Object.entries(all).flatMap(([vendor, s]) => s.failures.map(f => `${vendor}: ${f}`)),
        stop: async () => {
            await Promise.all(Object.values(all).map(s => s.stop()));
        },
    };
}
