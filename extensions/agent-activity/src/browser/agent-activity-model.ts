import { CommandService } from '@theia/core/lib/common/command';
import { DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { AgentSnapshot } from '../common/orchestrator-protocol';
import { runSharedCommand, SharedCommands } from '@coditect/studio-core/common';
import { AgentActivityCommands } from './agent-activity-commands';
import { OrchestratorWatcher } from './orchestrator-watcher';

/**
 * What the Agents panel shows: every agent's snapshot, as the orchestrator watcher holds it, and
 * the ways out of a card (its task or its lane on the session timeline, a new task for it).
 */
@injectable()
export class AgentActivityModel {

    @inject(OrchestratorWatcher) protected readonly watcher: OrchestratorWatcher;
    @inject(CommandService) protected readonly commands: CommandService;

    protected readonly toDispose = new DisposableCollection();
    protected readonly changed = new Emitter<void>();
    readonly onDidChange: Event<void> = this.changed.event;

    @postConstruct()
    protected init(): void {
        this.toDispose.push(this.changed);
        this.toDispose.push(this.watcher.onDidChange(() => this.changed.fire()));
        this.watcher.start().then(() => this.changed.fire());
    }

    dispose(): void {
        this.toDispose.dispose();
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
