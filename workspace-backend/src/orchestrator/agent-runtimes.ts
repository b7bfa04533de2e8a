import { AgentRuntime, UnknownAgentError } from './agent-runtime';

/**
 * The agents the orchestrator runs, by id: one AgentRuntime each, added when its definition is
 * first loaded and kept while the backend runs (a removed definition file leaves its agent known).
 */
export class AgentRuntimes {
    protected readonly byId = new Map<string, AgentRuntime>();

    get(agentId: string): AgentRuntime | undefined {
        return this.byId.get(agentId);
    }

    /** The agent's runtime, or an UnknownAgentError naming the agents there are. */
    require(agentId: string): AgentRuntime {
        const runtime = this.byId.get(agentId);
        if (!runtime) {
            throw new UnknownAgentError(agentId, this.ids());
        }
        return runtime;
    }

    add(runtime: AgentRuntime): void {
        this.byId.set(runtime.definition.id, runtime);
    }

    /** The agents' ids, in the order they were added. */
    ids(): string[] {
        return [...this.byId.keys()];
    }

    all(): AgentRuntime[] {
        return [...this.byId.values()];
    }

    /** The other agents as an agent's workspace context describes them: name, state, and the start of the task each runs. */
    peersOf(agentId: string): { name: string; state: string; task?: string }[] {
        return this.all().filter(r => r.definition.id !== agentId).map(r => ({
            name: r.definition.name, state: r.machine.state, task: r.running?.task.prompt.slice(0, 80),
        }));
    }
}
