import { CommandService } from '@theia/core/lib/common/command';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { StudioSession, StudioViewModel } from '@coditect/studio-platform/browser';
import { AgentSnapshot } from '../common/orchestrator-protocol';
import { runSharedCommand, SharedCommands } from '@coditect/studio-platform/common';
import { AgentActivityCommands } from './agent-activity-commands';
import { OrchestratorWatcher } from './orchestrator-watcher';

/**
 * What the Agents panel shows: every agent's snapshot, as the orchestrator watcher holds it, and
 * the ways out of a card (its task or its lane on the session timeline, a new task for it).
 */
@injectable()
export class AgentActivityModel extends StudioViewModel {

    @inject(OrchestratorWatcher) protected readonly watcher: OrchestratorWatcher;
    @inject(CommandService) protected readonly commands: CommandService;
    @inject(StudioSession) protected readonly session: StudioSession;

    @postConstruct()
    protected init(): void {
        this.fireOn(this.session.onDidChange);
        void this.follow(this.watcher);
    }

    /** Whether to offer "Add key" on an agent that needs one (the policy would allow it; the backend decides again). */
    get canSetKey(): boolean {
        return this.session.allows('provider-key.manage');
    }

    setKey(agentId: string): void {
        void runSharedCommand(this.commands, SharedCommands.PROVIDER_KEY_SET, { agentId });
    }

    get agents(): readonly AgentSnapshot[] {
        return this.watcher.agents;
    }

    /** Why the agents could not be read, if they could not. */
    get error(): string | undefined {
        return this.watcher.error;
    }

    revealTask(taskId: number): void {
        void runSharedCommand(this.commands, SharedCommands.TIMELINE_REVEAL_TASK, { taskId });
    }

    revealAgent(agentId: string): void {
        void runSharedCommand(this.commands, SharedCommands.TIMELINE_REVEAL_AGENT, { agentId });
    }

    /** Opens the task queue's form with this agent chosen. */
    submitTaskTo(agentId: string): void {
        void this.commands.executeCommand(AgentActivityCommands.SUBMIT_TASK.id, agentId);
    }
}
